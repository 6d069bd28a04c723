"""What company records store about a participant: nothing (a company's own data, given by the company)."""
from __future__ import annotations

from ..personal_data import Declaration

DECLARATION = Declaration(
    "companies",
    nothing={"company": "a company's name, Gemeinde, trades, a contact role and an address the company gave for "
                        "the project: nothing about a participant (which participant went where is kept by "
                        "matching's hospitations and the outcome answers, declared there)",
             "company_alias": "a company name as typed in an answer, confirmed to mean a company record: a company's "
                              "name, never which participant's answer it came from"})
