import pytest


@pytest.mark.django_db
def test_home_page_renders_in_german_by_default(client, settings):
    settings.LANGUAGE_CODE = "de"
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()
