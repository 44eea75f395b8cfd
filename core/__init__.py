"""The ground floor shared by every app: formats, spreadsheets, private storage, bounded
form fields, the visibility framework, workflow errors, the view helper that runs a
service, Fernet key rings for secrets at rest and the read-only admin. It has no models
and imports no app of this project (tests/test_layers.py)."""
