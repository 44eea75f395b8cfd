import shutil

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files of each test go to a temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English texts unless they ask for German."""
    settings.LANGUAGE_CODE = "en"
