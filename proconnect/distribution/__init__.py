"""Distribution links: how a form reaches people (a token bound to form, cohort, event, language)."""
