"""The ground floor shared by every app: formats, spreadsheets, private storage, bounded
form fields, the visibility framework, workflow errors and the view helper that runs a
service. It has no models and imports no app of this project (tests/test_layers.py)."""
