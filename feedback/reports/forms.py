"""The reports area's one form: which period a report covers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError

from ..services.periods import PeriodError, current_period, parse_period

__all__ = ["PeriodForm"]


class PeriodForm(FlaskForm):
    """Read from the query string: a download changes nothing, so it is a GET without a CSRF token."""

    class Meta:
        csrf = False

    period = StringField(_l("Period"), validators=[DataRequired()],
                         description=_l("A month (2026-11), a quarter (2026-Q4) or a year (2026)."))

    def validate_period(self, field) -> None:
        try:
            parse_period(field.data)
        except PeriodError:
            raise ValidationError(_l("Use a month like 2026-11, a quarter like 2026-Q4 or a year like 2026.")) from None

    @property
    def chosen(self):
        return parse_period(self.period.data)

    @classmethod
    def from_args(cls, args):
        """The form bound to the query string, the previous quarter when none is given."""
        if args.get("period"):
            return cls(formdata=args)
        return cls(formdata=None, period=current_period("quarter").previous().label)
