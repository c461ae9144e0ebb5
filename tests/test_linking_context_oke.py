"""An adjective of nationality right before an institution's descriptive name names its country (issue 13: an
institution of another country; ``kgbuild.linking.context.by_home_country``), on sentences written for these tests
and the bundled KB."""
from __future__ import annotations

from conftest import links_en as _links


def test_nationality_before_an_institution_name_rules_out_other_countries_institutions(builtin_pipe):
    links = _links(builtin_pipe, "Tourists in Milan and Genoa were warned, and a spokeswoman for the Kenyan Ministry of Health "
                         "said the outbreak was under control.")
    assert links.get("Kenyan") == "Q114"
    assert not (links.get("Ministry of Health") or "").startswith("Q")  # the KB's ministries of that name: not Kenya's


def test_nationality_before_an_institution_name_keeps_that_countrys_institution(builtin_pipe):
    links = _links(builtin_pipe, "Officials in London and Manchester said the Italian Ministry of Defence had sent a frigate.")
    assert links.get("Ministry of Defence") == "Q1855201"
