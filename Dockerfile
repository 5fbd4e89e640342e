# syntax=docker/dockerfile:1
# ticketbot: the chat API with the bundled tagger, run as a non-root user.
#
#   docker build -t ticketbot .                  # CPU PyTorch on a slim Python image (the default)
#   docker build -t ticketbot:cuda \
#       --build-arg BASE_IMAGE=nvidia/cuda:13.0.0-runtime-ubuntu24.04 \
#       --build-arg TORCH_INDEX=https://download.pytorch.org/whl/cu130 .
#
# The base image and PyTorch's wheel index go together: a CUDA base image needs the torch
# build for the same CUDA major version (cu130 wheels for CUDA 13 images, cu126 for 12.6).
# Settings are TICKETBOT_* environment variables (README, "Deployment").

ARG BASE_IMAGE=python:3.12-slim-trixie

# ---- a Python 3.11+ on the chosen base ---------------------------------------------------
FROM ${BASE_IMAGE} AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
# The python images have Python; NVIDIA's CUDA images are Ubuntu without it, so they get
# the distribution's (3.12 on Ubuntu 24.04). Its version is the base image's to pin.
# hadolint ignore=DL3008
RUN if ! command -v python3 >/dev/null; then \
        apt-get update \
        && apt-get install -y --no-install-recommends python3 python3-venv \
        && rm -rf /var/lib/apt/lists/*; \
    fi \
    && python3 -c 'import sys; assert sys.version_info >= (3, 11), "ticketbot needs Python 3.11+"'

# ---- build: a virtual environment with torch and ticketbot -------------------------------
FROM base AS build
ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
# A network's own package-index settings (a mirror, a TLS-intercepting proxy's CA) reach pip
# as build secrets, so no layer keeps them; without the secrets pip asks PyPI directly.
#   --secret id=pip.conf,src=FILE   pip reads FILE as /etc/pip.conf
#   --secret id=pip-ca.crt,src=CA   at /run/secrets/pip-ca.crt, for FILE's "cert ="
# (deploy/build-image.sh passes both.) The venv gets a current pip: a distribution's venv
# has the distribution's, and Debian 12's pip 23.0 builds seqeval (an sdist with
# setup_requires) in the venv itself, where setuptools fetches setuptools_scm as an egg
# without its dependency vcs_versioning and fails; pip 23.1+ builds it isolated.
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf --mount=type=secret,id=pip-ca.crt \
    python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install "pip==26.2.1"
ENV PATH=/opt/venv/bin:$PATH
# PyTorch first, from its own index: the project's range (torch>=2.3,<2.14) is then met, so
# installing ticketbot does not fetch the default (CUDA) build from PyPI.
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf --mount=type=secret,id=pip-ca.crt \
    pip install --index-url "${TORCH_INDEX}" "torch==${TORCH_VERSION}"
WORKDIR /src
COPY pyproject.toml README.md ./
COPY model/ model/
COPY service/ service/
COPY migrations/ migrations/
# A regular (not editable) install: the bundled model, the migrations and the static files
# are package data, so the source tree is not needed at run time. The redis extra lets
# TICKETBOT_RATE_LIMIT_STORAGE=redis://... share rate limits between replicas.
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf --mount=type=secret,id=pip-ca.crt \
    pip install "/src[redis]" \
    && pip check \
    && ticketbot tag --device cpu "i want to fly to boston tomorrow" >/dev/null

# ---- runtime ----------------------------------------------------------------------------
FROM base AS runtime
RUN groupadd --system --gid 10001 ticketbot \
    && useradd --system --uid 10001 --gid ticketbot --home-dir /app --create-home \
        --shell /usr/sbin/nologin ticketbot \
    && install -d -o ticketbot -g ticketbot /app/data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    TICKETBOT_DATABASE_URL=sqlite:////app/data/ticketbot.db
WORKDIR /app
USER 10001:10001
# The gazetteer (GeoNames, airportsdata, OurAirports) takes seconds to build: built here once,
# into the service user's cache folder, so no container pays for it at start-up.
RUN python -c "from service.dialogue.places import gazetteer; gazetteer()"
EXPOSE 8000
# Slim images have no curl: Python's urllib asks /healthz (non-2xx or no answer: unhealthy).
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["ticketbot", "serve", "--host", "0.0.0.0", "--port", "8000"]
