# newsclean with its Prefect extras: the image of the worker (and of the Dask scheduler
# and worker, whose `distributed` version must match the client's exactly).
#
# Runs as the non-root user `newsclean`, whose ids are build arguments: docker-compose.yml
# passes NEWSCLEAN_UID/NEWSCLEAN_GID from .env, so the files runs write into the
# bind-mounted output/ belong to the user who owns the checkout, not to root.
FROM python:3.11.7-slim-bookworm

ARG UID=1000
ARG GID=1000

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    PREFECT_LOCAL_STORAGE_PATH=/var/lib/newsclean/prefect-results

# --non-unique: the host's ids may already name a system group or user of the base image
RUN groupadd --non-unique --gid "${GID}" newsclean \
    && useradd --non-unique --uid "${UID}" --gid "${GID}" --create-home \
        --shell /usr/sbin/nologin newsclean

WORKDIR /app
# the versions CI runs: constraints.txt, the lock generated from pyproject.toml
COPY pyproject.toml README.md constraints.txt ./
COPY pipeline ./pipeline
COPY flows ./flows
COPY prefect.yaml ./
RUN pip install -c constraints.txt ".[flows]" \
    && mkdir -p /app/seeds /app/output "${PREFECT_LOCAL_STORAGE_PATH}" \
    && chown newsclean:newsclean /app/output "${PREFECT_LOCAL_STORAGE_PATH}"

USER newsclean
CMD ["python", "-m", "flows.clean_articles", "seeds", "--out", "output"]
