"""Cohorts: the groups of participants a project works with (one per intake or region)."""
