"""The build's stage functions, one per declared stage (umkm/build/stages.py lists them in order, with what each
reads and writes): each takes the Build (umkm/build/run_state.py) and sets the fields named as its outputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from umkm import paths
from umkm.build import cache, files, history, private
from umkm.build.run_state import Build, DataResult
from umkm.gates import GateError, scanner
from umkm.gates import identifiers as identifier_gate
from umkm.gates import validation as validation_gate
from umkm.vocabulary import DEMO_KEY


def read_inputs(b: Build) -> None:
    from umkm.build.stages import SITE_ONLY_FOLDERS  # derived from the declared stage list, which names this function

    b.raw = None if b.demo else files.read_exports(b.args.ods, b.args.oss)
    b.cache_key = cache.data_cache_key(b.args, b.key, b.raw, outside=SITE_ONLY_FOLDERS)
    fields_ = None if b.args.no_cache else cache.load_cached_data(b.out, b.cache_key)
    try:
        b.data = None if fields_ is None else DataResult(**fields_)
    except TypeError:  # made by another version of the result: a cache miss
        b.data = None
    b.from_cache = b.data is not None


def demo_register(b: Build) -> None:
    from umkm.ingest import synthetic

    args = b.args
    register = synthetic.generate(b.ref, seed=args.demo_seed, ods_rows=args.demo_rows, noise=args.demo_noise)
    written = synthetic.write(register, b.staging / paths.PRIVATE / "demo-input", formats=("csv",))
    b.raw = files.read_exports(written["ods.csv"], written["oss.csv"])
    b.generated = register.snapshot_date


def ingest(b: Build) -> None:
    import pandas as pd

    from umkm.ingest import exports as ingest

    b.mapping_frame = pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False)
    b.previous_ids, b.staff_decisions = private.read_private_state(b.out / paths.PRIVATE, b.staff)
    b.linkage_state = private.read_linkage_state(b.out / paths.PRIVATE, b.staff)
    mapping = ingest.build_header_mapping(b.mapping_frame)
    b.exports = {
        source: ingest.parse_export(data, name, source, mapping, sheet=getattr(b.args, f"{source}_sheet", None))
        for source, (data, name) in b.raw.items()
    }
    b.raw.clear()  # the export bytes are not needed any more
    b.raw = None


def reconcile(b: Build) -> None:
    import pandas as pd

    from umkm.ingest import input_summary
    from umkm.reconcile import quality
    from umkm.reconcile import register as reconcile

    today = input_summary.build_date()
    snapshot = b.generated if b.demo and not b.args.snapshot_date else snapshot_date(b.args, b.exports, today)
    b.snapshot = pd.Timestamp(snapshot)
    model, propose, use_proposed = private.choose_weights(b.args, b.demo, b.linkage_state)
    b.reconciled = reconcile.reconcile(
        b.exports["ods"],
        b.exports["oss"],
        b.ref,
        previous_ids=b.previous_ids,
        staff_decisions=b.staff_decisions,
        snapshot=b.snapshot,
        today=today,
        exclusion_overrides=b.linkage_state.exclusion_overrides,
        model=model,
        propose_model=propose,
        use_proposed=use_proposed,
        min_training_rows=b.args.train_min_rows,
    )
    # Input dates that cannot be true (after the build date, before the register existed) are reported
    # and never date the release.
    invalid_dates = input_summary.invalid_dates(b.reconciled.rows, today, b.exports)
    b.summary = input_summary.summary_lines(b.exports, invalid_dates, today)
    b.report = pd.concat(
        [quality.quality_report(b.reconciled), input_summary.quality_measures(b.exports, invalid_dates)],
        ignore_index=True,
    )


def snapshot_date(args, exports: dict, today):
    """The release's snapshot date: --snapshot-date, else the end of the last period closed by the day after the
    newest valid input date (ODS tanggal_input, OSS tgl_terbit_nib; umkm/ingest/input_summary.py says which dates can
    be true): an export taken on 1 November whose rows end on 31 October makes the October release."""
    import pandas as pd

    from umkm.ingest import cadence, input_summary
    from umkm.ingest import exports as ingest
    from umkm.reconcile import normalise

    if args.snapshot_date:
        return pd.Timestamp(args.snapshot_date)
    rows = pd.concat(
        [
            pd.DataFrame({"source": source, "tanggal_input": normalise.parse_date(exports[source].frame[column])})
            for source, column in input_summary.DATE_COLUMNS.items()
        ],
        ignore_index=True,
    )
    newest = input_summary.newest_valid_input_date(rows, today)
    if newest is None:
        raise ingest.InputError(
            exports["ods"].file,
            f"no input date in column 'tanggal_input' (nor in the OSS "
            f"'tgl_terbit_nib') is a possible date up to {today.date()}: "
            "give the release's date with --snapshot-date YYYY-MM-DD",
        )
    return cadence.default_snapshot(newest, args.cadence)


def private_outputs(b: Build) -> None:
    """Private first: it is what staff read when something looks wrong. Then only the register is kept: the
    exports, the rows and the pairs are freed before disclosure."""
    from umkm import xlsx

    b.identifiers = private.write_private_outputs(
        b.staging / paths.PRIVATE,
        b.reconciled,
        b.exports,
        b.staff_decisions,
        b.snapshot,
        b.mapping_frame,
        b.linkage_state,
    )
    b.keys = private.record_keys(b.out / paths.PRIVATE, b.reconciled.register["actor_id"], b.key.encode("utf-8"))
    (b.staging / paths.PRIVATE / private.RECORD_KEYS).write_bytes(xlsx.plain_csv_bytes(b.keys))
    b.counts = {
        "actors": len(b.reconciled.register),
        "ods": len(b.exports["ods"].frame),
        "oss": len(b.exports["oss"].frame),
    }
    b.actors = b.reconciled.register
    b.exports = b.reconciled = None
    private.release_memory()


def disclose(b: Build) -> None:
    from umkm.catalogue import releases
    from umkm.disclose import anonymise as disclose
    from umkm.package import packages as package

    release_index, b.release_folders = history.read_release_history(b.out)
    if not b.args.no_site:  # a site build publishes only the releases whose files it carries forward
        release_index = [e for e in release_index if e["version"] in b.release_folders]
    b.release_index = release_index
    earlier = history.earlier_releases(b.out, release_index, b.release_folders)
    b.disclosed = disclosed = disclose.disclose(b.actors, b.keys, b.ref, b.snapshot, earlier=earlier)
    if not disclosed.passed:
        raise GateError(
            "disclosure control failed (k-anonymity, l-diversity or the differencing "
            "attack on an earlier release):\n  " + "\n  ".join(disclosed.audit_failures[:20])
        )
    b.fingerprint = disclose.content_fingerprint(disclosed)
    version = releases.resolve_version(b.snapshot, b.fingerprint, release_index)
    previous = releases.previous_release(release_index, version)
    b.release = package.Release(
        version=version,
        snapshot_date=b.snapshot,
        is_demo=b.demo,
        previous_version=previous["version"] if previous else None,
        fingerprint=b.fingerprint,
    )
    b.microdata = disclose.with_pseudonyms(
        disclosed.microdata, disclosed.microdata_actors, b.key.encode("utf-8"), version
    )
    # A rebuild of a published release (same content) publishes its quality report as it was: tonight's
    # export may hold more blank rows or later rows, which belong to no published figure of this release.
    b.report = history.published_quality(
        [b.release_folders.get(version), b.out / paths.PRIVATE / history.TRUTHS / version], b.report
    )
    private.carry_release_truths(b.out / paths.PRIVATE, b.staging / paths.PRIVATE)


def package(b: Build) -> None:
    from umkm.catalogue import releases
    from umkm.package import packages as package
    from umkm.package import release_packages

    disclosed, release = b.disclosed, b.release
    packages = release_packages.build_packages(
        b.microdata,
        disclosed.tables,
        b.report,
        disclosed.risk,
        b.ref,
        release,
        magnitude_tables=disclosed.magnitude,
        risk_tables=disclosed.risk_tables,
        microdata_properties=disclosed.microdata_properties,
        formats=False,
    )
    private.write_release_truth(
        b.staging / paths.PRIVATE,
        release.version,
        b.snapshot,
        disclosed,
        next(p for p in packages if p.name == "umkm-statistik"),
        next(p for p in packages if p.name == "umkm-mikrodata"),
        next(p for p in packages if p.name == "umkm-kualitas-data"),
    )
    datapackages = b.staging / paths.DATAPACKAGES
    for pkg in packages:
        files.write_files(datapackages / pkg.name, pkg.files, b.out / paths.DATAPACKAGES / pkg.name)
    with validation_gate.PackageValidation(datapackages) as validation:  # frictionless in worker processes; meanwhile
        for pkg in packages:  # the Parquet files and workbooks
            files.write_files(
                datapackages / pkg.name,
                package.other_formats(pkg, b.site.base_url),
                b.out / paths.DATAPACKAGES / pkg.name,
            )
        errors = validation.errors()
    if errors:
        raise GateError("frictionless validation failed:\n  " + "\n  ".join(errors[:20]))
    release_index = b.release_index
    if b.args.no_site:  # no downloads: the index still records the release, so the next build knows its date and
        release_index = releases.with_release(
            release_index,
            {  # content
                "version": release.version,
                "snapshot_date": str(b.snapshot.date()),
                "synthetic": b.demo,
                "fingerprint": b.fingerprint,
            },
        )
    b.data = DataResult(
        release=release,
        release_index=release_index,
        release_folders=b.release_folders,
        packages=packages,
        tables=disclosed.tables,
        magnitude=disclosed.magnitude,
        report=b.report,
        identifiers=b.identifiers,
        counts=b.counts,
        input_summary=b.summary,
    )


def catalogue(b: Build) -> None:
    """unduh/<version>/, unduh/latest/ (zips, pointers), DCAT, data.json."""
    from umkm.catalogue import build as build_catalogue

    data = b.result()
    data.catalogue = build_catalogue(data.packages, data.release, data.release_index, b.site, b.ref)


def cached_data(b: Build) -> None:
    """Nothing the data stages read has changed: their packages and private/ as the last build left them."""
    for pkg in b.result().packages:
        files.write_files(b.staging / paths.DATAPACKAGES / pkg.name, pkg.files, b.out / paths.DATAPACKAGES / pkg.name)
    b.staff.read()  # to notice a save of the review workbook during this build
    files.safe_copy_tree(b.out / paths.PRIVATE, b.staging / paths.PRIVATE)


def fill_methodology(docs: Path, packages, version: str) -> None:
    """The methodology pages get this release's protection figures (umkm/site/protection.py)."""
    from umkm.site import protection as site_protection

    risk = next((p for p in packages if p.name == site_protection.RISK_PACKAGE), None)
    for lang, page in (("id", docs / "metodologi.md"), ("en", docs / "en" / "metodologi.md")):
        if risk is not None and page.is_file():
            page.write_text(
                site_protection.fill(page.read_text(encoding="utf-8"), risk.files, lang, version), encoding="utf-8"
            )


def site_pages(b: Build) -> None:
    """The generated pages of docs/ in both languages; the English half (pages, then its MkDocs build) runs in a
    forked process beside the Indonesian one: this stage and the next time the Indonesian half and the wait."""
    import pandas as pd

    from umkm.catalogue import downloads
    from umkm.site import mkdocs as site_mkdocs
    from umkm.site import pages as site_pages
    from umkm.site.context import SiteInput

    data, staging, out = b.result(), b.staging, b.out
    docs, datapackages = staging / paths.GENERATED_DOCS, staging / paths.DATAPACKAGES
    release, packages, published = data.release, data.packages, data.catalogue
    files.copy_handwritten_docs(paths.DOCS, docs)
    fill_methodology(docs, packages, release.version)
    # unduh/<version>/, unduh/latest/ (zips, pointers), the catalogue files
    files.write_files(docs, published.files, out / paths.GENERATED_DOCS)
    entries = {e["version"]: e for e in published.index}
    for earlier, folder in sorted(data.release_folders.items()):  # earlier releases stay published
        if earlier != release.version and earlier in entries:
            files.safe_copy_tree(folder, docs / "unduh" / earlier)
            # a release published before its folders had pages gets them (files are only added)
            if history.lacks_pages(docs / "unduh" / earlier):
                files.write_files(
                    docs,
                    downloads.missing_pages(
                        earlier,
                        entries[earlier],
                        *history.release_folder(docs / "unduh" / earlier),
                        b.site.base_url,
                        b.site.contact_email,
                    ),
                )
    release_index = published.index
    site_input = SiteInput(
        release=release,
        tables=data.tables,
        packages=[p.descriptor for p in packages],
        previews={
            f"{p.name}/{r['name']}": pd.read_csv(
                datapackages / p.name / r["path"], dtype=str, keep_default_na=False, nrows=10
            )
            for p in packages
            for r in p.descriptor["resources"]
        },
        quality=data.report,
        reference=b.ref,
        magnitude=data.magnitude,
        base_url=b.site.base_url,
        download_sizes=published.sizes,
        releases=release_index,
        history=history.read_published_history(docs, release_index, release.version),
        png_cache=out / cache.CACHE / cache.PNG_CACHE,
    )
    templates, previous_docs = out / cache.CACHE / cache.TEMPLATE_CACHE, out / paths.GENERATED_DOCS

    def write_pages(langs: tuple[str, ...]) -> None:
        from umkm.site import images

        images.STATS.update(rendered=0, from_cache=0, seconds=0.0)  # this build's half only
        pages = site_pages.build_pages(site_input, template_cache=templates, langs=langs)
        files.write_files(docs, pages, previous_docs)
        # the PNG cost of this half (the English half runs in a forked process)
        (staging / f".png-{'-'.join(langs)}.json").write_text(json.dumps(images.STATS), encoding="utf-8")

    b.english = site_mkdocs.EnglishBuild(
        paths.MKDOCS_CONFIG,
        docs,
        staging / paths.SITE,
        synthetic=b.demo,
        template_cache=templates,
        before=lambda: write_pages(("en",)),
    )
    try:
        write_pages(("id",))
    except BaseException:
        b.english.wait()
        raise


def mkdocs_build(b: Build) -> None:
    """The strict MkDocs build of both languages (a failure is umkm.site.mkdocs.SiteBuildError: a gate)."""
    from umkm.site import mkdocs as site_mkdocs

    site_mkdocs.mkdocs_build(
        paths.MKDOCS_CONFIG,
        b.staging / paths.GENERATED_DOCS,
        b.staging / paths.SITE,
        synthetic=b.demo,
        template_cache=b.out / cache.CACHE / cache.TEMPLATE_CACHE,
        english=b.english,
    )
    b.swapped += [paths.SITE, paths.GENERATED_DOCS]
    png = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(b.staging.glob(".png-*.json"))]
    b.timer.png = {key: round(sum(half[key] for half in png), 3) for key in ("rendered", "from_cache", "seconds")}


def gate(b: Build) -> None:
    """The identifier scan over everything public; the release index kept in private/ first."""
    from umkm.catalogue import releases

    data = b.result()
    release_index = data.catalogue.index if data.catalogue is not None else data.release_index
    # Replaced, not written in place: staging/private/ may hold links to the published files.
    files.write_files(b.staging / paths.PRIVATE, {history.RELEASES: releases.index_bytes(release_index)})
    public = [b.staging / paths.DATAPACKAGES, b.staging / paths.SITE, b.staging / paths.GENERATED_DOCS]
    leaks = scanner.scan_identifiers(
        public,
        data.identifiers,
        memo=data.clean_files,
        secrets=identifier_gate.environment_secrets(os.environ, exclude=(DEMO_KEY,)),
    )
    if leaks:
        raise GateError("identifiers of the input found in public output:\n  " + "\n  ".join(leaks[:20]))


def publish(b: Build) -> None:
    from umkm.build import publish

    files.make_private(b.staging / paths.PRIVATE, b.out / cache.CACHE)
    b.warnings = publish.publish(b.out, b.staging, b.swapped, carry=b.staff.carry)  # the commit point is inside
    if b.staff.notice is None:
        b.warnings += cache.save_cache_after_commit(b.out, b.cache_key, b.result(), reused=b.from_cache)
    # else: the staff's workbook kept at the swap holds decisions no stage has read: no cache, so that
    # the next build runs every stage and reads them.
