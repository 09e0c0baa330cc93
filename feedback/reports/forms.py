"""The reports area's forms: which period a report covers (the console's one period picker), and a batch."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from ..manage.period_picker import PeriodPickerForm

__all__ = ["PeriodForm", "BatchForm"]


class PeriodForm(PeriodPickerForm):
    """Read from the query string: a download changes nothing, so it is a GET without a CSRF token."""

    @classmethod
    def from_args(cls, args):
        """The form bound to the query string (this month when none is given, as on the dashboard)."""
        return cls(formdata=args)


class BatchForm(FlaskForm):
    """Start "all reports for a period": a POST with a CSRF token, since it starts work."""

    period = HiddenField(validators=[DataRequired(), Length(max=10)])
