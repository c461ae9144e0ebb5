"""Namespaces and prefixes of kgbuild output: the one place they are written down (everything else reads them
from here). ``KG`` lists every term of ``ontology/kgbuild.ttl``; a test checks both agree (``_fail = True`` turns a
typo into an AttributeError). IRIs are minted in ``kgbuild.rdf.iris``."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

KG_NS = "https://w3id.org/kgbuild/ontology#"
DEFAULT_BASE = "https://w3id.org/kgbuild/resource/"

WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("http://schema.org/")


class KG(DefinedNamespace):
    _NS = Namespace(KG_NS)
    _fail = True

    # classes
    Entity: URIRef
    Person: URIRef
    Place: URIRef
    Organisation: URIRef
    Company: URIRef
    University: URIRef
    GovernmentAgency: URIRef
    SportsClub: URIRef
    MediaOrganisation: URIRef
    PoliticalParty: URIRef
    InternationalOrganisation: URIRef
    Other: URIRef
    UnlinkedEntity: URIRef
    Event: URIRef
    Visit: URIRef
    Meeting: URIRef
    AgreementSigning: URIRef
    TreatySigning: URIRef
    Negotiation: URIRef
    PositionHolding: URIRef
    Quotation: URIRef
    Criticism: URIRef
    Threat: URIRef
    Sanction: URIRef
    Accusation: URIRef
    Support: URIRef
    Attack: URIRef
    Appointment: URIRef
    Resignation: URIRef
    Arrest: URIRef
    PartyMembership: URIRef
    Employment: URIRef
    Membership: URIRef
    Citizenship: URIRef
    Headquarters: URIRef
    Statement: URIRef
    EventStatus: URIRef
    Planned: URIRef
    Happened: URIRef
    # truthy relations
    visits: URIRef
    meets: URIRef
    signsAgreementWith: URIRef
    signsTreatyWith: URIRef
    holdsPositionIn: URIRef
    negotiatesWith: URIRef
    says: URIRef
    criticises: URIRef
    threatens: URIRef
    sanctions: URIRef
    accuses: URIRef
    supports: URIRef
    attacks: URIRef
    appoints: URIRef
    resignsFrom: URIRef
    arrests: URIRef
    memberOfParty: URIRef
    employer: URIRef
    memberOf: URIRef
    citizenOf: URIRef
    headquarteredIn: URIRef
    # event properties
    relation: URIRef
    subject: URIRef
    object: URIRef
    participant: URIRef
    visitor: URIRef
    host: URIRef
    signatory: URIRef
    holder: URIRef
    office: URIRef
    speaker: URIRef
    place: URIRef
    time: URIRef
    timeText: URIRef
    status: URIRef
    confidence: URIRef
    trigger: URIRef
    role: URIRef
    quote: URIRef
    evidence: URIRef
    evidenceText: URIRef
    extractor: URIRef
    event: URIRef
    cameoCode: URIRef
    # mentions, entities, documents, runs
    mentionSource: URIRef
    antecedent: URIRef
    linked: URIRef
    contentHash: URIRef
    kbVersion: URIRef
    kbSnapshot: URIRef
    model: URIRef


def kg_term(name: str) -> URIRef:
    """The ``kg:`` term called ``name`` (an event class or relation named in the relation catalogue);
    AttributeError for a name the ontology does not have."""
    return KG[name]


TYPE_CLASS = {"PER": KG.Person, "LOC": KG.Place, "ORG": KG.Organisation, "MISC": KG.Other}
CLASS_TYPE = {str(v): k for k, v in TYPE_CLASS.items()}
STATUS = {"planned": KG.Planned, "happened": KG.Happened, "announced": KG.Planned}
ROLE_PROPERTY = {"visitor": KG.visitor, "host": KG.host, "participant": KG.participant,
                 "signatory": KG.signatory, "holder": KG.holder, "office": KG.office, "speaker": KG.speaker}

#: the prefixes declared in kgbuild's graphs (Turtle, TriG, JSON-LD output)
PREFIXES = {
    "kg": KG_NS, "wd": str(WD), "wdt": str(WDT), "nif": str(NIF), "itsrdf": str(ITSRDF), "sem": str(SEM),
    "schema": str(SCHEMA), "prov": "http://www.w3.org/ns/prov#", "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "owl": "http://www.w3.org/2002/07/owl#",
}
#: ``PREFIXES`` plus ``kgr:`` (the default base of minted nodes): what queries and ``--bind`` values may use
QUERY_PREFIXES = {"kg": KG_NS, "kgr": DEFAULT_BASE, **PREFIXES}


def sparql_prologue(prefixes: dict[str, str] = QUERY_PREFIXES, sep: str = " ") -> str:
    """``PREFIX p: <ns>`` declarations for a SPARQL query, separated by ``sep``."""
    return "".join(f"PREFIX {p}: <{ns}>{sep}" for p, ns in prefixes.items())
