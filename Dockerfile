# One image for every process of the assistant; the command picks which one runs:
#   docker run IMAGE front-door   the web front door: widget, chat, Slack and WhatsApp
#                                 webhooks (port 8000; the only one to publish)
#   docker run IMAGE rasa         Rasa (port 5005; private: its API needs RASA_API_TOKEN)
#   docker run IMAGE actions      the action server (port 5055; private)
#   docker run IMAGE staff        the staff report and search (port 8001; private, STAFF_TOKEN)
# deploy/compose.yml runs them together with PostgreSQL and Redis.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    HOST=0.0.0.0

RUN pip install --no-cache-dir uv==0.9.* \
    && useradd --create-home --uid 10001 assistant
WORKDIR /app

# Dependencies first, so a change to the code or articles does not reinstall them.
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project && rm -rf /root/.cache
ENV PATH="/app/.venv/bin:$PATH"

COPY . .
# The model and the knowledge index are built into the image: a container starts without
# training, and nothing is downloaded at run time.
RUN python -m bot.runtime.launch rasa train --out models --fixed-model-name assistant \
    && python -m bot.runtime.launch knowledge index \
    && mkdir -p var build \
    && chown -R assistant /app/var /app/build /app/models

USER assistant
# Only the front door is meant to be published; the others listen for the private network.
EXPOSE 8000
ENTRYPOINT ["python", "-m", "bot", "run"]
CMD ["front-door"]
