"""The one period-picker form: presets (this month, last month ...) or a typed month, quarter or year.

Used by the dashboard, the staff pages and the reports page, all read from the
query string (a GET changes nothing, so no CSRF token). Presets resolve
through ``services.period_presets``; an old link with only ``?period=2026-11``
still works (it is a custom period).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from ..services.period_presets import DEFAULT_PRESET, PRESET_LABELS, PRESETS, preset_of, resolve_preset
from ..services.periods import Period, PeriodError, parse_period

__all__ = ["PeriodPickerForm", "today"]


def today():
    return datetime.now(UTC).date()


class PeriodPickerForm(FlaskForm):
    class Meta:
        csrf = False

    preset = SelectField(_l("Period"), choices=[SelectChoice(p, PRESET_LABELS[p]) for p in PRESETS],
                         default=DEFAULT_PRESET, validators=[Optional()])
    period = StringField(_l("Month, quarter or year"), validators=[Optional(), Length(max=10)],
                         description=_l("For another period: 2026-11, 2026-Q4 or 2026."))

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data, extra_filters, **kwargs)
        if formdata is None or formdata.get("preset"):
            return
        # A link with only ``?period=2026-11``: the preset that names it today, else a custom period.
        if formdata.get("period"):
            try:
                self.preset.data = preset_of(parse_period(formdata["period"]), today())
            except PeriodError:
                self.preset.data = "custom"
        else:
            self.preset.data = DEFAULT_PRESET

    def validate_preset(self, field):
        if field.data not in PRESETS:
            raise ValidationError(_l("Choose one of the periods in the list."))

    def validate_period(self, field):
        if self.preset.data != "custom":
            return
        if not field.data:
            raise ValidationError(_l("Write the month (2026-11), quarter (2026-Q4) or year (2026) you want."))
        try:
            parse_period(field.data)
        except PeriodError:
            raise ValidationError(_l("Write a month (2026-11), a quarter (2026-Q4) or a year (2026).")) from None

    @property
    def chosen(self) -> Period:
        """The period picked (after a successful ``validate``)."""
        return resolve_preset(self.preset.data or DEFAULT_PRESET, today(), self.period.data)

    def show_chosen(self, period: Period) -> None:
        """After choosing: the text box shows the period only when it is a custom one."""
        self.period.data = period.label if self.preset.data == "custom" else ""
