# newsclean with its Prefect extras: the image of the worker (and of the Dask scheduler
# and worker, whose `distributed` version must match the client's exactly).
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PREFECT_SERVER_ANALYTICS_ENABLED=false

WORKDIR /app
COPY pyproject.toml README.md constraints.txt ./
COPY pipeline ./pipeline
COPY flows ./flows
COPY prefect.yaml ./
RUN pip install -c constraints.txt ".[flows]" && mkdir -p /app/seeds /app/output

CMD ["python", "-m", "flows.clean_articles", "seeds", "--out", "output"]
