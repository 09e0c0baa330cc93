"""Forms of the auth area: sign in, ask for a reset link, choose a new password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..services.accounts import MIN_PASSWORD_LENGTH

__all__ = ["SignInForm", "ResetRequestForm", "NewPasswordForm", "AccountForm"]


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(),
        Length(min=MIN_PASSWORD_LENGTH, max=256,
               message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)),
    ])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords are not the same.")),
    ])


class AccountForm(FlaskForm):
    language = SelectField(_l("Language"), validators=[DataRequired()],
                           description=_l("Pages, e-mails and reports are in this language."))
