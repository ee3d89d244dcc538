"""PRIVATE_STORAGE_URL chooses where private files live; the object storage tests skip
with the reason without moto's server, and fail instead in CI."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.storage import LOCAL_BACKEND, S3_BACKEND, private_storage_settings
from tests.s3_standin import SERVER_MODULES, require_moto


def test_without_a_url_the_files_stay_in_the_folder():
    assert private_storage_settings("") == {"BACKEND": LOCAL_BACKEND}


def test_the_url_names_bucket_prefix_endpoint_and_region_and_links_last_a_minute():
    config = private_storage_settings(
        "s3://portal-files/eu/private?endpoint=https://s3.example.net&region=eu-central-1"
    )
    assert config["BACKEND"] == S3_BACKEND
    options = config["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("portal-files", "eu/private")
    assert (options["endpoint_url"], options["region_name"]) == (
        "https://s3.example.net",
        "eu-central-1",
    )
    assert options["querystring_expire"] == 60
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None


@pytest.mark.parametrize(
    "url",
    ["https://portal-files/private", "s3:///private", "s3://portal-files/?endpont=https://x"],
)
def test_a_wrong_url_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured, match="PRIVATE_STORAGE_URL"):
        private_storage_settings(url)


def test_without_moto_the_tests_skip_and_say_how_to_install_it():
    with pytest.raises(pytest.skip.Exception, match="requirements-dev.txt"):
        require_moto(ci=False, modules=("moto_that_is_not_installed",))


def test_without_moto_in_ci_the_tests_fail_instead_of_skipping():
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        require_moto(ci=True, modules=("moto_that_is_not_installed",))


def test_with_moto_installed_nothing_is_skipped():
    for ci in (True, False):
        try:
            require_moto(ci=ci, modules=SERVER_MODULES)
        except (pytest.skip.Exception, pytest.fail.Exception) as outcome:
            pytest.fail(f"moto is installed, yet the object storage tests would stop: {outcome}")
