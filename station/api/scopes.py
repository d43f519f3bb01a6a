"""The scopes station asks for at login (contract 2): plain names, importable without the client."""

PERSON_SCOPE = "jobs offline.access"
HELPDESK_SCOPE = "jobs users offline.access"
