"""Uploads capped before they reach the disk (issue 12 §4; docs/operations/background-work.md).

``CappedUploadHandler`` comes first in ``settings.FILE_UPLOAD_HANDLERS``. It counts the bytes of each file and of
all files of the request; past ``settings.UPLOAD_MAX_BYTES`` for one file or ``settings.UPLOAD_MAX_TOTAL_BYTES``
for the request, it stops passing the file's chunks on (so the handlers after it write nothing more to memory or to
a temporary file) and hands the form a ``RefusedUpload`` instead: no content, its ``size`` the bytes received. The
form fields refuse it with a Thai message (``core.forms.refuse_stopped_upload``) and the rest of the form
keeps its input.

Why not ``StopUpload``: Django's parser then drops every field that follows the file in the request, so the form
could neither keep the user's input nor say which file was too large.
"""
import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class RefusedUpload(UploadedFile):
    """A file the upload handler stopped receiving: empty content, ``size`` = bytes received (at least the cap
    that stopped it), ``refused`` = True."""

    refused = True

    def __init__(self, name: str, content_type: str, size: int, charset, content_type_extra):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset, content_type_extra)


class CappedUploadHandler(FileUploadHandler):
    """Stops each file past ``UPLOAD_MAX_BYTES`` and every file once the request passed
    ``UPLOAD_MAX_TOTAL_BYTES`` (bytes); see the module docstring."""

    def __init__(self, request=None):
        super().__init__(request)
        self.request_bytes = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_bytes, self.refusing = 0, False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.file_bytes += len(raw_data)
        self.request_bytes += len(raw_data)
        if self.file_bytes > settings.UPLOAD_MAX_BYTES or self.request_bytes > settings.UPLOAD_MAX_TOTAL_BYTES:
            self.refusing = True
        return None if self.refusing else raw_data  # None: the next handlers do not see this chunk

    def file_complete(self, file_size: int) -> RefusedUpload | None:
        if not self.refusing:
            return None  # the next handler (memory or temporary file) returns the file
        return RefusedUpload(self.file_name, self.content_type, self.file_bytes, self.charset,
                             self.content_type_extra)
