"""The ground floor: helpers shared by every app. Imports no app."""
