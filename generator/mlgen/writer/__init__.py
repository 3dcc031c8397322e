"""The writer: puts a generated tree on disk deterministically without clobbering human edits.

Public API::

    from mlgen.writer import GeneratedFile, write_tree, check_tree, format_write_report

    files = [GeneratedFile.text("infra/envs/dev/main.tf", text), GeneratedFile("scripts/x.sh", data, True)]
    report = write_tree(Path("out"), files, force=False)
    print(format_write_report(report))
    drift = check_tree(Path("out"), files)   # writes nothing; drift.clean is the --check verdict
"""

from mlgen.writer.errors import ManifestError, UnsafePathError, WriterError
from mlgen.writer.manifest import MANIFEST_PATH, Manifest, load_manifest
from mlgen.writer.model import DriftReport, GeneratedFile, GeneratedTree, SkippedFile, WriteReport
from mlgen.writer.paths import validate_relative_path
from mlgen.writer.report import format_drift_report, format_write_report
from mlgen.writer.write import check_tree, write_tree

__all__ = [
    "MANIFEST_PATH",
    "DriftReport",
    "GeneratedFile",
    "GeneratedTree",
    "Manifest",
    "ManifestError",
    "SkippedFile",
    "UnsafePathError",
    "WriteReport",
    "WriterError",
    "check_tree",
    "format_drift_report",
    "format_write_report",
    "load_manifest",
    "validate_relative_path",
    "write_tree",
]
