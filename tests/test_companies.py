"""Company records: project-wide partner companies, matched to free-text names by a normalised key."""
from __future__ import annotations

import pytest

from proconnect.companies.models import Company, name_key
from proconnect.extensions import db


@pytest.mark.parametrize("typed, key", [
    ("Bäckerei Müller GmbH & Co. KG", "backerei muller"),
    ("  baeckerei  MÜLLER ", "baeckerei muller"),
    ("Autohaus Weiß e.K.", "autohaus weiss"),
    ("Tischlerei Janßen (Inh. R. Janßen)", "tischlerei janssen r janssen"),
])
def test_a_name_key_drops_case_accents_punctuation_and_legal_forms(typed, key):
    assert name_key(typed) == key


def test_a_company_record_keeps_what_the_company_gave(app):
    with app.app_context():
        db.session.add(Company(name="Autohaus Weiß", name_key=name_key("Autohaus Weiß"), place="Westerstede",
                               trades=["metal", "vehicles"], contact_role="Ausbildungsleitung"))
        db.session.commit()
        company = db.session.scalars(db.select(Company)).one()
        assert (company.place, company.trades, company.contact_email, company.retired_at) == \
            ("Westerstede", ["metal", "vehicles"], "", None)
