"""A streaming upload handler that stops what is too large while it arrives."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS. Django's own handlers write a file to memory or to a
    temporary file and only afterwards does anyone look at its size; this one passes the
    bytes on only while they are within the limits:

    - a request larger than UPLOAD_REQUEST_MAX_BYTES (its declared length) is not read at
      all: the upload stops at its first file;
    - a file that grows beyond ATTACHMENT_MAX_BYTES is dropped at that chunk (the partial
      temporary file is deleted) and the rest of it is discarded unread into any file.

    What was refused is listed in ``request.refused_uploads`` as (file name, reason), for
    the view to explain."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_too_large = content_length > settings.UPLOAD_REQUEST_MAX_BYTES
        self.request.refused_uploads = []

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.request_too_large:
            self.request.refused_uploads.append((file_name, "request_too_large"))
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.ATTACHMENT_MAX_BYTES:
            self.request.refused_uploads.append((self.file_name, "file_too_large"))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file
