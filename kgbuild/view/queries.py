"""The SPARQL SELECTs of the view, in the vocabulary of docs/RDF-MODEL.md (run over the union of all graphs)."""

PREFIXES = """PREFIX kg: <https://w3id.org/kgbuild/ontology#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

DOCUMENTS = """SELECT ?d ?lang ?date ?url ?ident WHERE {
  ?d a nif:Context .
  OPTIONAL { ?d schema:inLanguage ?lang } OPTIONAL { ?d schema:datePublished ?date }
  OPTIONAL { ?d schema:url ?url } OPTIONAL { ?d dcterms:identifier ?ident }
} ORDER BY ?d"""

SENTENCES = """SELECT ?s ?d ?b ?e ?text WHERE {
  ?s a nif:Sentence .
  OPTIONAL { ?s nif:referenceContext ?d } OPTIONAL { ?s nif:beginIndex ?b }
  OPTIONAL { ?s nif:endIndex ?e } OPTIONAL { ?s nif:anchorOf ?text }
}"""

ENTITIES = """SELECT DISTINCT ?e ?cls ?label ?desc ?linked WHERE {
  { ?e a ?cls . FILTER(?cls IN (kg:Person, kg:Place, kg:Organisation, kg:Other, kg:UnlinkedEntity)) }
  UNION { [] itsrdf:taIdentRef ?e . }
  OPTIONAL { ?e rdfs:label ?label } OPTIONAL { ?e schema:description ?desc } OPTIONAL { ?e kg:linked ?linked }
}"""

MENTIONS = """SELECT ?m ?e_ ?b ?e ?text ?s ?conf ?src ?cls ?d WHERE {
  ?m itsrdf:taIdentRef ?e_ .
  OPTIONAL { ?m nif:beginIndex ?b } OPTIONAL { ?m nif:endIndex ?e } OPTIONAL { ?m nif:anchorOf ?text }
  OPTIONAL { ?m nif:sentence ?s } OPTIONAL { ?m itsrdf:taConfidence ?conf }
  OPTIONAL { ?m kg:mentionSource ?src } OPTIONAL { ?m itsrdf:taClassRef ?cls }
  OPTIONAL { ?m nif:referenceContext ?d }
}"""

EVENTS = """SELECT ?ev ?type ?rel ?subj ?obj ?status ?conf ?time ?place ?label ?trigger ?b ?e ?sent ?evtext
       ?quote ?roletext ?doc ?extractor WHERE {
  ?ev kg:subject ?subj .
  OPTIONAL { ?ev a ?type FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event) }
  OPTIONAL { ?ev kg:relation ?rel } OPTIONAL { ?ev kg:object ?obj } OPTIONAL { ?ev kg:status ?status }
  OPTIONAL { ?ev kg:confidence ?conf } OPTIONAL { ?ev kg:time ?time } OPTIONAL { ?ev kg:place ?place }
  OPTIONAL { ?ev rdfs:label ?label } OPTIONAL { ?ev kg:trigger ?trigger }
  OPTIONAL { ?ev nif:beginIndex ?b } OPTIONAL { ?ev nif:endIndex ?e } OPTIONAL { ?ev kg:evidence ?sent }
  OPTIONAL { ?ev kg:evidenceText ?evtext } OPTIONAL { ?ev kg:quote ?quote } OPTIONAL { ?ev kg:role ?roletext }
  OPTIONAL { ?ev prov:wasDerivedFrom ?doc } OPTIONAL { ?ev kg:extractor ?extractor }
} ORDER BY ?ev ?type"""

EVENT_LINKS = """SELECT ?ev ?p ?x WHERE {
  ?ev kg:subject [] ; ?p ?x .
  FILTER(isIRI(?x) && STRSTARTS(STR(?p), STR(kg:)))
}"""

EVENT_PARTICIPANTS = """SELECT ?ev ?x WHERE {
  ?ev kg:subject [] .
  { ?ev kg:participant ?x } UNION { ?ev kg:subject ?x } UNION { ?ev kg:object ?x }
}"""

STATEMENTS = """SELECT ?a ?p ?b ?conf ?ev WHERE {
  ?st rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b .
  OPTIONAL { ?st kg:confidence ?conf } OPTIONAL { ?st kg:event ?ev }
}"""

TRUTHY = """SELECT DISTINCT ?a ?p ?b WHERE {
  VALUES ?c { kg:Person kg:Place kg:Organisation kg:Other kg:UnlinkedEntity }
  ?a a ?c ; ?p ?b .
  FILTER(isIRI(?b) && (STRSTARTS(STR(?p), STR(kg:)) || STRSTARTS(STR(?p), STR(wdt:))))
}"""
