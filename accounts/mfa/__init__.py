"""Two-factor authentication: the methods a login can add (authenticator app, passkey,
email codes, recovery codes), the second step of the login, remembered browsers and the
re-authentication that guards security settings. Devices are django-otp's."""
