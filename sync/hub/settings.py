"""The hub's settings, declared once (pydantic-settings; environment prefix ``PATHWAY_HUB_``).

``serve`` passes its command-line options to worker processes through the same variables, so a
uvicorn worker builds exactly the settings the command was given.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url

HOME_ENV = "PATHWAY_HUB_HOME"


def data_dir() -> Path:
    """The hub's data folder: ``$PATHWAY_HUB_HOME`` if set (tests), else the user data folder."""
    override = os.environ.get(HOME_ENV)
    return Path(override) if override else platformdirs.user_data_path("pathway-hub", False)


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'hub.db'}"


class HubSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PATHWAY_HUB_", extra="ignore")

    database: str = Field(default_factory=default_database_url, description="SQLAlchemy URL")
    host: str = Field(default="127.0.0.1", description="Address to listen on")
    port: int = Field(default=8443, ge=1, le=65535, description="TCP port")
    cert: Path | None = Field(default=None, description="TLS certificate (PEM); made if absent")
    key: Path | None = Field(default=None, description="TLS private key (PEM)")
    max_body_bytes: int = Field(default=1_048_576, description="Largest request body accepted")
    clock_skew_seconds: int = Field(
        default=300, description="How far a request's timestamp may stray from the hub's clock"
    )
    enrol_code_hours: int = Field(default=24, description="How long an enrolment code is valid")
    enrol_attempts_per_client: int = Field(
        default=10, description="Enrolment attempts one client address may make per window"
    )
    enrol_attempts_total: int = Field(
        default=200, description="Enrolment attempts all clients together may make per window"
    )
    enrol_window_seconds: int = Field(default=900, description="Length of the rate-limit window")
    statement_timeout_ms: int = Field(
        default=15_000, description="Longest a PostgreSQL statement may run"
    )
    files_dir: Path | None = Field(
        default=None,
        description="Where uploaded files are kept (default: hub-files beside an SQLite "
                    "database, else files in the data folder); shared by every hub process",
    )
    max_file_bytes: int = Field(default=2 << 30, description="Largest file a device may upload")
    partial_upload_hours: float = Field(
        default=72.0, description="How long an unfinished upload is kept without progress"
    )

    def files_root(self) -> Path:
        """The folder of uploaded files (see ``files_dir``)."""
        if self.files_dir is not None:
            return self.files_dir
        url = make_url(self.database)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(url.database).parent / "hub-files"
        return data_dir() / "files"
