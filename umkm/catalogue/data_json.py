"""The release's packages and the release index in; ``data.json`` out, the Project Open Data 1.1 catalogue
(the JSON a portal or a script reads without RDF). Its sibling for Indonesian portals is umkm.catalogue.satu_data.

The licence and the publisher are each package's own (its descriptor's ``licenses`` and publisher).
"""

from __future__ import annotations

from umkm.catalogue import licences
from umkm.catalogue.config import Config, Urls
from umkm.catalogue.descriptor import DATAPACKAGE_PROFILE, MEDIA_TYPES, data_files, description, iso_date, publisher
from umkm.package.packages import Package


def data_json(packages: list[Package], release, index: list[dict], config: Config) -> dict:
    """data.json (Project Open Data metadata schema 1.1). bureauCode and programCode, required for
    US federal agencies only, are left out: the publisher is an Indonesian city office."""
    urls = Urls(config.base_url)
    version, date = release.version, iso_date(release.snapshot_date)
    datasets = []
    for p in sorted(packages, key=lambda p: p.name):
        d, name = p.descriptor, p.name
        licence, organisation = licences.of_package(d), publisher(d)
        package_dir = urls.package_dir(version, name)
        distribution = [
            {
                "@type": "dcat:Distribution",
                "title": f"{d['title']} (ZIP)",
                "description": "Paket lengkap / complete package",
                "downloadURL": urls.abs(urls.zip(version, name)),
                "mediaType": MEDIA_TYPES["zip"],
                "format": "ZIP",
            },
            {
                "@type": "dcat:Distribution",
                "title": "datapackage.json",
                "description": "Deskriptor Frictionless Data Package v2 / descriptor",
                "downloadURL": urls.abs(package_dir + "datapackage.json"),
                "mediaType": MEDIA_TYPES["json"],
                "format": "JSON",
                "conformsTo": DATAPACKAGE_PROFILE,
            },
        ]
        distribution += [
            {
                "@type": "dcat:Distribution",
                "title": f"{r['title']} ({fmt.upper()})",
                "description": r["description"],
                "downloadURL": urls.abs(package_dir + path),
                "mediaType": MEDIA_TYPES[fmt],
                "format": fmt.upper(),
                "describedBy": urls.abs(package_dir + "datapackage.json"),
                "describedByType": MEDIA_TYPES["json"],
            }
            for r, fmt, path in data_files(d)
        ]
        issued = min([e["snapshot_date"] for e in index if name in e.get("packages", {})] + [date])
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "title": d["title"],
                "description": description(d, "id", release.is_demo) + " / " + description(d, "en", release.is_demo),
                "keyword": list(d.get("keywords", [])) or ["UMKM"],
                "modified": date,
                "issued": issued,
                "publisher": {"@type": "org:Organization", "name": organisation},
                "contactPoint": {
                    "@type": "vcard:Contact",
                    "fn": organisation,
                    "hasEmail": "mailto:" + config.contact_email,
                },
                "identifier": urls.dataset(name),
                "accessLevel": "public",
                "license": licence.url,
                "rights": f"Terbuka untuk umum, lisensi {licence.short_title} / open to the public, {licence.short_title} "
                "licence.",
                "spatial": "Kota Balikpapan, Kalimantan Timur, Indonesia",
                "accrualPeriodicity": "R/P1M",  # monthly (ISO 8601), the release cadence
                "language": ["id", "en"],
                "landingPage": urls.abs(urls.landing(name)),
                "conformsTo": DATAPACKAGE_PROFILE,
                "describedBy": urls.abs(package_dir + "datapackage.json"),
                "describedByType": MEDIA_TYPES["json"],
                "theme": ["UMKM", "Ekonomi / economy"],
                "references": [urls.changelog(), urls.abs("metodologi.html")],
                "distribution": distribution,
            }
        )
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": urls.abs("data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": datasets,
    }
