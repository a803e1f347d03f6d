"""What the backup and restore tests share: a small PDF, the hashes of the files under the roots, an archive
written from given members."""
import hashlib
import io
import tarfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def hashes(roots: dict) -> dict[tuple[str, str], str]:
    return {(name, path.relative_to(root).as_posix()): hashlib.sha256(path.read_bytes()).hexdigest()
            for name, root in roots.items() for path in root.rglob("*") if path.is_file()}


def write_archive(path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
