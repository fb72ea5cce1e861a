# 人大代表工作平台 — production image (gunicorn; worker and beat use the same image).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# postgresql-client: pg_dump/pg_restore 15 (bookworm) for `manage.py backup`/`restore`,
# the same major version as the postgres:15 service in docker-compose.yml.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY portal ./portal
COPY deputies ./deputies
COPY stations ./stations
COPY proposals ./proposals
COPY livelihood_votes ./livelihood_votes
RUN pip install .
COPY . .

# collectstatic and compilemessages need settings but no real secret or database.
RUN DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=0 python manage.py compilemessages \
 && DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=0 python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 portal && mkdir -p /app/media /app/var/backups \
 && chown -R portal /app/media /app/var
USER portal

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60", "--access-logfile", "-"]
