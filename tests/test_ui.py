"""The real Dagster UI in a real browser: every stage and its checks are shown, and "Materialize all"
launched from the page runs the whole pipeline to success.

Needs Debian's ``chromium`` and ``chromium-driver`` (installed by ``.ci/run``); outside CI the test is
skipped when they are missing, in CI it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
GROUPS = {
    "ingest": ["documents", "rejected_documents", "paragraphs", "boilerplate", "paragraph_errors"],
    "nlp": ["parsed_paragraphs", "parse_errors"],
    "entities": ["entity_mentions", "entities", "entity_errors"],
    "dates": ["temporal_expressions", "dated_events", "reference_dates", "timeline", "date_errors"],
    "quotes": ["quotes", "quote_errors"],
    "warehouse": ["warehouse"],
}
LOCATION = "assets.definitions"

if not (CHROMIUM and CHROMEDRIVER) and os.environ.get("CI") != "true":
    pytest.skip("chromium / chromedriver not installed (CI installs them)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``dagster dev`` (webserver + daemon) on a free local port with a temporary DAGSTER_HOME."""
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    warehouse = tmp_path_factory.mktemp("warehouse")
    port = _free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "SEEDS_DIR": str(ROOT / "seeds"),
        "WAREHOUSE_DIR": str(warehouse),
    }
    log = (home / "dev.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "dg"), "dev", "-m", LOCATION, "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _answers(f"{base}/server_info"), timeout=180, what="the Dagster webserver")
        yield base, warehouse
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=3200,6000",  # the groups with their _errors outputs are tall: all nodes in view
        f"--user-data-dir={tmp_path_factory.mktemp('profile')}",
    ]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def _wait_for(condition, timeout: float, what: str, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _page_text(driver) -> str:
    """The page's visible text; empty while React swaps the body out from under us."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        return driver.find_element(By.TAG_NAME, "body").text
    except StaleElementReferenceException:
        return ""


def test_asset_graph_shows_every_stage_and_its_checks(ui, browser, tmp_path: Path) -> None:
    base, _ = ui
    for group, assets in GROUPS.items():
        browser.get(f"{base}/locations/{LOCATION}/asset-groups/{group}")
        _wait_for(
            lambda assets=assets: all(f'data-tooltip="{a}"' in browser.page_source for a in assets),
            timeout=60,
            what=f"the {group} graph to show {assets}",
        )
        if group != "warehouse":
            assert "Asset checks" in _page_text(browser), group
        browser.save_screenshot(str(tmp_path / f"graph-{group}.png"))


def test_catalog_lists_every_stage(ui, browser) -> None:
    base, _ = ui
    browser.get(f"{base}/assets")
    every = [asset for assets in GROUPS.values() for asset in assets]
    _wait_for(
        lambda: all(a in _page_text(browser) for a in every), timeout=60, what=f"the catalog to list {every}"
    )


def test_materialize_all_from_the_ui_succeeds(ui, browser, tmp_path: Path) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    base, warehouse = ui
    browser.get(f"{base}/asset-groups")

    def launch_from_ui() -> bool:
        """Click "Materialize all" and report whether the UI confirmed a launched run.

        Until the graph's data has loaded the button is there but launches nothing, so retry."""
        try:
            for button in browser.find_elements(By.TAG_NAME, "button"):
                if button.text.strip() == "Materialize all" and button.is_enabled():
                    button.click()
                    break
            else:
                return False
        except StaleElementReferenceException:  # React re-rendered the toolbar: look again
            return False
        try:
            _wait_for(lambda: "Launched run" in _page_text(browser), timeout=10, what="the launch toast")
        except AssertionError:
            return False
        return True

    _wait_for(launch_from_ui, timeout=120, what="a run launched from the Materialize all button", every=3)

    def finished() -> str | None:
        browser.get(f"{base}/runs")
        time.sleep(2)
        text = _page_text(browser)
        return next((status for status in ("Success", "Failure", "Canceled") if status in text), None)

    status = _wait_for(finished, timeout=900, what="the run launched from the UI to finish", every=3)
    browser.save_screenshot(str(tmp_path / "runs.png"))
    assert status == "Success"
    assert (warehouse / "news.duckdb").exists()

    browser.get(f"{base}/assets/quotes?view=checks")
    _wait_for(
        lambda: "Passed" in _page_text(browser), timeout=60, what="the quotes schema check to show Passed"
    )
    browser.save_screenshot(str(tmp_path / "quotes-checks.png"))
    assert (tmp_path / "runs.png").stat().st_size > 0
