"""The release's packages and the release index in; their linked-data descriptions out: the DCAT-AP 3
catalogue (``catalog.jsonld``, and ``catalog.ttl`` serialised by rdflib from the same graph: the harvesting
route of CKAN portals, see ``dcat_graph``) and the schema.org ``Dataset`` of each package version
(``data/<package>.jsonld``, the version pages, and ``schema_org_script`` for embedding).

No CKAN action API: a static host answers neither POST nor a query string (``package_show?id=`` would be one
file for every id), so CKAN portals harvest the DCAT catalogue (README). The licence and the publisher are
the packages' own (their descriptors' ``licenses`` and publisher), named in each vocabulary by
umkm.catalogue.licences. Every identifier is an IRI (no blank nodes), so the same release gives the same bytes.
"""

from __future__ import annotations

import json

from umkm.catalogue import citations, licences
from umkm.catalogue.config import Config, Urls
from umkm.catalogue.descriptor import (
    DATAPACKAGE_PROFILE,
    MEDIA_TYPES,
    PUBLISHER_SHORT,
    data_files,
    description,
    iso_date,
    publisher,
    synthetic_note,
)
from umkm.catalogue.releases import changelog_summary
from umkm.package import citation
from umkm.package.packages import Package
from umkm.vocabulary import Licence

EU = "http://publications.europa.eu/resource/authority/"  # the EU Publications Office's authority tables

EU_FILE_TYPES = {"csv": "CSV", "parquet": "PARQUET", "xlsx": "XLSX", "zip": "ZIP", "json": "JSON"}


# ------------------------------------------------------------------ schema.org


def schema_org(
    descriptor: dict, release, base_url: str, page: str | None = None, sizes: dict[str, int] | None = None
) -> dict:
    """schema.org ``Dataset`` of one package version, to embed as JSON-LD in its dataset page (``page``: the
    page it is embedded in, default the dataset page; ``sizes``: file name -> bytes)."""
    urls = Urls(base_url if base_url.endswith("/") else base_url + "/")
    name, version, date = descriptor["name"], release.version, iso_date(release.snapshot_date)
    cite = citations.of_package(dict(descriptor, version=version), urls)
    sizes = sizes or {}
    mime = {"csv": "text/csv", "parquet": MEDIA_TYPES["parquet"], "xlsx": MEDIA_TYPES["xlsx"]}
    distribution = [
        {
            "@type": "DataDownload",
            "name": f"{descriptor['name']}.zip",
            "encodingFormat": MEDIA_TYPES["zip"],
            "contentUrl": urls.abs(urls.zip(version, name)),
            **({"contentSize": f"{sizes[f'{name}.zip']} B"} if f"{name}.zip" in sizes else {}),
        }
    ]
    for r, fmt, path in data_files(descriptor):
        size = sizes.get(path, r.get("bytes") if fmt == "csv" else None)
        distribution.append(
            {
                "@type": "DataDownload",
                "name": path,
                "description": r["title"],
                "encodingFormat": mime[fmt],
                "contentUrl": urls.abs(urls.package_dir(version, name) + path),
                **({"contentSize": f"{size} B"} if size else {}),
            }
        )
    variables, seen = [], set()
    for r in descriptor["resources"]:
        for f in r["schema"]["fields"]:
            if f["name"] not in seen:
                seen.add(f["name"])
                variables.append(
                    {
                        "@type": "PropertyValue",
                        "name": f["name"],
                        "alternateName": f.get("title_en"),
                        "description": f.get("description"),
                        **({"unitText": f["unit"]} if f.get("unit") else {}),
                    }
                )
    organisation = {"@type": "GovernmentOrganization", "name": cite.publisher, "alternateName": PUBLISHER_SHORT}
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": urls.dataset(name) if page is None else urls.dataset_version(version, name),
        "name": descriptor["title"],
        "alternateName": descriptor["title_en"],
        "description": description(descriptor, "id", release.is_demo),
        "url": page or urls.abs(urls.landing(name)),
        "sameAs": cite.url,
        "identifier": [f"umkm-balikpapan/{name}/{version}", cite.url],
        "version": version,
        "datePublished": date,
        "dateModified": date,
        "temporalCoverage": date,
        "inLanguage": ["id", "en"],
        "keywords": list(descriptor.get("keywords", [])),
        "license": licences.of_package(descriptor).url,
        "isAccessibleForFree": True,
        "creator": organisation,
        "publisher": organisation,
        "spatialCoverage": {"@type": "Place", "name": "Kota Balikpapan, Kalimantan Timur, Indonesia"},
        "includedInDataCatalog": {"@type": "DataCatalog", "name": citation.SITE_TITLE["id"], "url": urls.base},
        "citation": citation.text(cite, "id"),
        "distribution": distribution,
        "variableMeasured": variables,
    }


def schema_org_script(descriptor: dict, release, base_url: str) -> str:
    """The schema.org JSON-LD as an HTML ``<script>`` element, safe to paste into a page."""
    text = json.dumps(schema_org(descriptor, release, base_url), ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'


# ------------------------------------------------------------------ DCAT-AP 3

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatap": "http://data.europa.eu/r5r/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": "http://www.w3.org/ns/locn#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "dctype": "http://purl.org/dc/dcmitype/",
}


def _id(iri: str) -> dict:
    return {"@id": iri}


def _lit(text: str, lang: str | None = None) -> dict:
    return {"@value": text, "@language": lang} if lang else {"@value": text}


def _period(iri: str, start: str, end: str) -> dict:
    """A dct:PeriodOfTime from ``start`` to ``end`` (dates)."""
    return {
        "@id": iri,
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _typed(start, "xsd:date"),
        "dcat:endDate": _typed(end, "xsd:date"),
    }


def _typed(value: str, datatype: str) -> dict:
    return {"@value": value, "@type": datatype}


def _both(id_text: str, en_text: str) -> list[dict]:
    return [_lit(id_text, "id"), _lit(en_text, "en")]


def _bbox(reference) -> tuple[float, float, float, float] | None:
    if reference is None:
        return None
    xs, ys = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in reference.kecamatan_geojson.get("features", []):
        walk(feature["geometry"]["coordinates"])
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _concept(iri: str, label_en: str, scheme: str | None = None) -> dict:
    node = {"@id": iri, "@type": "skos:Concept", "skos:prefLabel": _lit(label_en, "en")}
    if scheme:
        node["skos:inScheme"] = _id(scheme)
    return node


def _distribution(
    urls: Urls,
    relative: str,
    fmt: str,
    title: tuple[str, str],
    description: tuple[str, str],
    date: str,
    size: int | None,
    digest: str | None,
    landing: str,
    licence: Licence,
) -> dict:
    url = urls.abs(relative)
    node = {
        "@id": url + "#distribusi",
        "@type": "dcat:Distribution",
        "dct:title": _both(*title),
        "dct:description": _both(*description),
        "dcat:accessURL": _id(url),
        "dcat:downloadURL": _id(url),
        "dct:format": _id(f"{EU}file-type/{EU_FILE_TYPES[fmt]}"),
        "dcat:mediaType": _id(f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"),
        "dct:license": _id(licence.opendefinition_iri),
        "dct:issued": _typed(date, "xsd:date"),
        "dcatap:availability": _id(f"{EU}planned-availability/STABLE"),
        "foaf:page": _id(landing),
    }
    if fmt == "json":
        node["dct:conformsTo"] = _id(DATAPACKAGE_PROFILE)
    if size is not None:
        node["dcat:byteSize"] = _typed(str(size), "xsd:nonNegativeInteger")
    if digest and digest.startswith("sha256:"):
        node["spdx:checksum"] = {
            "@id": url + "#checksum",
            "@type": "spdx:Checksum",
            "spdx:algorithm": _id("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
            "spdx:checksumValue": _typed(digest.split(":", 1)[1], "xsd:hexBinary"),
        }
    return node


def _licence_nodes(licence: Licence) -> list[dict]:
    """The licence as CKAN's licence register names it (ckanext-dcat fills a harvested dataset's license_id by
    matching a distribution's dct:license against the register's URLs, then titles), said to be the EU
    vocabulary's licence (skos:exactMatch) for DCAT-AP readers, and its ADMS licence type."""
    return [
        {
            "@id": licence.opendefinition_iri,
            "@type": "dct:LicenseDocument",
            "dct:title": _lit(licence.ckan_title),
            "rdfs:label": _lit(licence.title, "en"),
            "skos:exactMatch": _id(licence.eu_iri),
            "rdfs:seeAlso": _id(licence.url),
            "dct:type": _id(licence.licence_type),
        },
        _concept(licence.licence_type, licence.licence_type.rsplit("/", 1)[1]),
    ]


def dcat_graph(
    packages: list[Package],
    release,
    index: list[dict],
    config: Config,
    reference=None,
    file_info: dict[str, tuple[int, str]] | None = None,
) -> dict:
    """The DCAT-AP 3 catalogue as JSON-LD, every node an IRI.

    Releases as series, each release a version of the same datasets: one ``dcat:Dataset`` per
    package (a stable IRI and ``dct:identifier``, carrying the newest release: its version, its
    distributions at their fixed URLs), so a harvester keeps one dataset per package and updates
    it with each release; one ``dcat:DatasetSeries`` per package (its releases, ``dcat:first``
    and ``dcat:last``), which the dataset is ``dcat:inSeries``; and each published release a
    version of that dataset (``dcat:hasVersion``, ``dcat:hasCurrentVersion``,
    ``dcat:previousVersion``), described as a ``dctype:Dataset`` with its fixed zip and page, not
    as a ``dcat:Dataset`` (a harvester makes a dataset of every ``dcat:Dataset`` it reads).
    Formats and media types carry labels (a harvester shows "CSV", not an IRI), and the licence
    is the IRI CKAN's licence register knows (umkm.catalogue.licences), as the packages' descriptors name it.
    """
    urls = Urls(config.base_url)
    file_info = file_info or {}
    version, date = release.version, iso_date(release.snapshot_date)
    first_date = min([e["snapshot_date"] for e in index] + [date])
    publisher_iri, contact = urls.base + "#penerbit", urls.base + "#kontak"
    descriptors = [p.descriptor for p in packages]
    publisher_name = publisher(descriptors[0] if descriptors else {})
    catalogue_licences = licences.of_packages(descriptors)
    location = urls.base + "#wilayah-kota-balikpapan"
    provenance = urls.abs("metodologi.html") + "#asal-data"
    theme_scheme = f"{EU}data-theme"
    themes = [f"{EU}data-theme/ECON", f"{EU}data-theme/REGI"]
    languages = [f"{EU}language/IND", f"{EU}language/ENG"]
    frequency = f"{EU}frequency/MONTHLY"  # one statistical release a month (README, release cadence)
    graph: list[dict] = []
    datasets = []
    entries = {e["version"]: e for e in index}
    for p in sorted(packages, key=lambda p: p.name):
        d, name = p.descriptor, p.name
        licence = licences.of_package(d)
        landing = urls.abs(urls.landing(name))
        dataset_iri, series_iri = urls.dataset(name), urls.series(name)
        distributions = []
        zip_rel = urls.zip(version, name)
        zip_size, zip_hash = file_info.get(zip_rel, (None, None))
        distributions.append(
            _distribution(
                urls,
                zip_rel,
                "zip",
                (f"{d['title']}: paket lengkap (ZIP)", f"{d['title_en']}: complete package (ZIP)"),
                (
                    "Semua berkas paket (CSV, Parquet, XLSX, datapackage.json, README, sitasi) dalam satu ZIP.",
                    "Every file of the package (CSV, Parquet, XLSX, datapackage.json, README, citation) in one ZIP.",
                ),
                date,
                zip_size,
                zip_hash,
                landing,
                licence,
            )
        )
        json_rel = urls.package_dir(version, name) + "datapackage.json"
        json_size, json_hash = file_info.get(json_rel, (None, None))
        distributions.append(
            _distribution(
                urls,
                json_rel,
                "json",
                ("Deskriptor Frictionless Data Package v2", "Frictionless Data Package v2 descriptor"),
                (
                    "Metadata paket: skema tabel, tipe, batasan, satuan, kunci asing.",
                    "Package metadata: table schemas, types, constraints, units, foreign keys.",
                ),
                date,
                json_size,
                json_hash,
                landing,
                licence,
            )
        )
        for r, fmt, path in data_files(d):
            rel = urls.package_dir(version, name) + path
            size, digest = file_info.get(rel, (r.get("bytes"), r.get("hash")) if fmt == "csv" else (None, None))
            distributions.append(
                _distribution(
                    urls,
                    rel,
                    fmt,
                    (f"{r['title']} ({fmt.upper()})", f"{r['title_en']} ({fmt.upper()})"),
                    (r["description"], r["description_en"]),
                    date,
                    size,
                    digest,
                    landing,
                    licence,
                )
            )
        graph += distributions
        versions = []
        previous_iri = None
        for e in index:
            if name not in e.get("packages", {}):
                continue
            info = e["packages"][name]
            v_iri = urls.dataset_version(e["version"], name)
            page = urls.abs(urls.package_dir(e["version"], name))
            node = {
                "@id": v_iri,
                "@type": "dctype:Dataset",
                "dct:title": _both(
                    f"{info['title']} (versi {e['version']})", f"{info['title_en']} (version {e['version']})"
                ),
                "dct:description": _both(
                    description(info, "id", e.get("synthetic")), description(info, "en", e.get("synthetic"))
                ),
                "dcat:version": _lit(e["version"]),
                "dct:issued": _typed(e["snapshot_date"], "xsd:date"),
                "dct:isVersionOf": _id(dataset_iri),
                "dct:publisher": _id(publisher_iri),
                "dcat:landingPage": _id(page),
                "dcat:distribution": [_id(urls.abs(info["zip"]["path"]) + "#distribusi")],
            }
            if e.get("changes"):
                node["adms:versionNotes"] = _both(
                    changelog_summary(e["changes"], "id"), changelog_summary(e["changes"], "en")
                )
            if previous_iri:
                node["dcat:previousVersion"] = _id(previous_iri)
            if e["version"] != version:  # the current version's ZIP is described above
                graph.append(
                    _distribution(
                        urls,
                        info["zip"]["path"],
                        "zip",
                        (
                            f"{info['title']} versi {e['version']} (ZIP)",
                            f"{info['title_en']} version {e['version']} (ZIP)",
                        ),
                        (
                            "Paket lengkap versi ini, pada URL tetap.",
                            "The complete package of this version, at a fixed URL.",
                        ),
                        e["snapshot_date"],
                        info["zip"].get("bytes"),
                        info["zip"].get("hash"),
                        landing,
                        licence,
                    )
                )
            graph += [
                node,
                {
                    "@id": page,
                    "@type": "foaf:Document",
                    "dct:title": _both(
                        f"{info['title']} versi {e['version']}", f"{info['title_en']} version {e['version']}"
                    ),
                },
            ]
            versions.append(v_iri)
            previous_iri = v_iri
        current = entries.get(version, {})
        issued = min([e["snapshot_date"] for e in index if name in e.get("packages", {})] + [date])
        dataset = {
            "@id": dataset_iri,
            "@type": "dcat:Dataset",
            "dct:title": _both(d["title"], d["title_en"]),
            "dct:description": _both(description(d, "id", release.is_demo), description(d, "en", release.is_demo)),
            "dct:identifier": _lit(f"umkm-balikpapan/{name}"),
            "dcat:version": _lit(version),
            "dct:issued": _typed(issued, "xsd:date"),
            "dct:modified": _typed(date, "xsd:date"),
            "dcat:keyword": [_lit(k) for k in d.get("keywords", [])],
            "dct:publisher": _id(publisher_iri),
            "dct:creator": _id(publisher_iri),
            "dcat:contactPoint": _id(contact),
            "dct:spatial": _id(location),
            # The register's state on its snapshot date: a period of one day (DCAT-AP recommends a start).
            "dct:temporal": _period(landing + "#periode", date, date),
            "dcat:theme": [_id(t) for t in themes],
            "dcat:landingPage": _id(landing),
            "foaf:page": [_id(urls.changelog()), _id(urls.abs(urls.package_dir(version, name)))],
            "dct:language": [_id(lang) for lang in languages],
            "dct:accrualPeriodicity": _id(frequency),
            "dct:accessRights": _id(f"{EU}access-right/PUBLIC"),
            "dct:conformsTo": _id(DATAPACKAGE_PROFILE),
            "dct:provenance": _id(provenance),
            "dcat:distribution": [_id(n["@id"]) for n in distributions],
            "dcat:inSeries": _id(series_iri),
            "dcat:hasVersion": [_id(v) for v in versions],
            "dcat:hasCurrentVersion": _id(urls.dataset_version(version, name)),
        }
        if len(versions) > 1:
            dataset["dcat:previousVersion"] = _id(versions[-2])
        if current.get("changes"):
            dataset["adms:versionNotes"] = _both(
                changelog_summary(current["changes"], "id"), changelog_summary(current["changes"], "en")
            )
        series = {
            "@id": series_iri,
            "@type": "dcat:DatasetSeries",
            "dct:title": _both(f"{d['title']}: semua rilis", f"{d['title_en']}: every release"),
            "dct:description": _both(
                f"Rilis bulanan paket {name}; setiap rilis tetap di alamatnya (unduh/<versi>/).",
                f"Monthly releases of the package {name}; every release stays at its address (unduh/<version>/).",
            ),
            "dct:publisher": _id(publisher_iri),
            "dcat:contactPoint": _id(contact),
            "dct:accrualPeriodicity": _id(frequency),
            "dct:spatial": _id(location),
            "dct:temporal": _period(series_iri + "-periode", issued, date),
            "dct:issued": _typed(issued, "xsd:date"),
            "dct:modified": _typed(date, "xsd:date"),
        }
        if versions:
            series["dcat:first"], series["dcat:last"] = _id(versions[0]), _id(versions[-1])
        graph += [
            dataset,
            series,
            {"@id": landing, "@type": "foaf:Document", "dct:title": _both(d["title"], d["title_en"])},
        ]
        datasets.append(dataset_iri)

    catalog = {
        "@id": urls.base + "#katalog",
        "@type": "dcat:Catalog",
        "dct:title": _both(citation.SITE_TITLE["id"], citation.SITE_TITLE["en"]),
        "dct:description": _both(
            f"Katalog data terbuka register UMKM {PUBLISHER_SHORT}: mikrodata anonim, statistik, "
            "laporan kualitas data dan kode referensi, dengan semua versi yang pernah terbit."
            + (" " + synthetic_note("id").strip() if release.is_demo else ""),
            f"Open-data catalogue of the UMKM register of {PUBLISHER_SHORT}: anonymised microdata, "
            "statistics, data-quality report and reference codes, with every version ever released."
            + (" " + synthetic_note("en").strip() if release.is_demo else ""),
        ),
        "dct:publisher": _id(publisher_iri),
        "foaf:homepage": _id(urls.base),
        "dct:language": [_id(lang) for lang in languages],
        "dct:license": _id(catalogue_licences[0].opendefinition_iri)
        if len(catalogue_licences) == 1
        else [_id(licence.opendefinition_iri) for licence in catalogue_licences],
        "dct:issued": _typed(first_date, "xsd:date"),
        "dct:modified": _typed(date, "xsd:date"),
        "dct:spatial": _id(location),
        "dcat:themeTaxonomy": _id(theme_scheme),
        "dcat:dataset": [_id(i) for i in datasets],
    }
    location_node = {
        "@id": location,
        "@type": "dct:Location",
        "skos:prefLabel": _both("Kota Balikpapan", "City of Balikpapan"),
        "locn:geographicName": _lit("Kota Balikpapan, Kalimantan Timur, Indonesia"),
    }
    box = _bbox(reference)
    if box:
        x0, y0, x1, y1 = (round(v, 6) for v in box)
        location_node["dcat:bbox"] = _typed(
            f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))", "gsp:wktLiteral"
        )
        location_node["dcat:centroid"] = _typed(
            f"POINT({round((x0 + x1) / 2, 6)} {round((y0 + y1) / 2, 6)})", "gsp:wktLiteral"
        )
    shared = [
        catalog,
        {
            "@id": urls.base,
            "@type": "foaf:Document",
            "dct:title": _both(citation.SITE_TITLE["id"], citation.SITE_TITLE["en"]),
        },
        {
            "@id": urls.changelog(),
            "@type": "foaf:Document",
            "dct:title": _both("Perubahan antar-rilis", "Changes between releases"),
        },
        {
            "@id": publisher_iri,
            "@type": ["foaf:Agent", "foaf:Organization"],
            "foaf:name": _lit(publisher_name),
            "dct:type": _id("http://purl.org/adms/publishertype/LocalAuthority"),
        },
        _concept("http://purl.org/adms/publishertype/LocalAuthority", "Local Authority"),
        {
            "@id": contact,
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": _lit(publisher_name),
            "vcard:hasEmail": _id("mailto:" + config.contact_email),
            "vcard:hasURL": _id(urls.abs("tentang.html")),
        },
        *(node for licence in catalogue_licences for node in _licence_nodes(licence)),
        {"@id": f"{EU}access-right/PUBLIC", "@type": "dct:RightsStatement", "rdfs:label": _lit("public", "en")},
        location_node,
        {"@id": theme_scheme, "@type": "skos:ConceptScheme", "dct:title": _lit("Data theme", "en")},
        _concept(themes[0], "Economy and finance", theme_scheme),
        _concept(themes[1], "Regions and cities", theme_scheme),
        {"@id": frequency, "@type": "dct:Frequency", "skos:prefLabel": _lit("monthly", "en")},
        {"@id": f"{EU}planned-availability/STABLE", "@type": "skos:Concept", "skos:prefLabel": _lit("stable", "en")},
        {"@id": DATAPACKAGE_PROFILE, "@type": "dct:Standard", "dct:title": _lit("Frictionless Data Package 2.0")},
        {
            "@id": provenance,
            "@type": "dct:ProvenanceStatement",
            "rdfs:label": _both(
                "Dari ekspor ODS dan OSS Dinas KUMKMP: dibaca, dinormalkan, dihubungkan dan dideduplikasi menjadi satu "
                "baris per pelaku usaha, lalu dianonimkan (pseudonim, generalisasi, derau metode kunci sel).",
                "From the office's ODS and OSS exports: read, normalised, linked and de-duplicated into one row per "
                "business actor, then anonymised (pseudonyms, generalisation, cell key method noise).",
            ),
        },
    ]
    shared += [{"@id": lang, "@type": "dct:LinguisticSystem"} for lang in languages]
    # A file type is a dct:IMT (a dct:MediaTypeOrExtent, as DCMI Terms say) with its label and media type:
    # ckanext-dcat reads an IMT's label as the resource's format ("PARQUET", which CKAN's format list lacks,
    # instead of the IRI).
    shared.append({"@id": "dct:IMT", "rdfs:subClassOf": _id("dct:MediaTypeOrExtent")})
    for fmt, code in sorted(EU_FILE_TYPES.items()):
        shared.append(
            {
                "@id": f"{EU}file-type/{code}",
                "@type": "dct:IMT",
                "rdfs:label": _lit(code),
                "rdf:value": _lit(MEDIA_TYPES[fmt]),
            }
        )
        shared.append(
            {
                "@id": f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}",
                "@type": "dct:MediaType",
                "rdfs:label": _lit(MEDIA_TYPES[fmt]),
            }
        )
    return {"@context": CONTEXT, "@graph": shared + graph}


def dcat_turtle(graph: dict) -> str:
    """The same graph as Turtle, parsed and serialised by rdflib (every node an IRI: stable output)."""
    import warnings

    import rdflib

    g = rdflib.Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated APIs
        warnings.simplefilter("ignore", DeprecationWarning)
        g.parse(data=json.dumps(graph), format="json-ld")
    for prefix, namespace in CONTEXT.items():
        g.bind(prefix, rdflib.Namespace(namespace), override=True, replace=True)
    return g.serialize(format="turtle")
