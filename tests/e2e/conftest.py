"""Browser and worker tests reuse the apps' fixtures."""

from tests.stations.conftest import sw  # noqa: F401 - fixture re-exported for tests/e2e
