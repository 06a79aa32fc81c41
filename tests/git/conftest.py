"""Fixtures for tests/git: the user's git configuration kept out, and a fresh repository."""

from __future__ import annotations

import pytest

from git_support import GIT_ENV, Repo, new_repo, review_repo


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch):
    """In-process calls (versions.git) read git's configuration too: keep the user's out."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def repo(tmp_path) -> Repo:
    return new_repo(tmp_path / "world")


@pytest.fixture(scope="session")
def review(tmp_path_factory) -> Repo:
    """The shared pull-request repository (see git_support.review_repo); tests only read it."""
    return review_repo(tmp_path_factory.mktemp("review") / "world")
