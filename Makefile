# The Hip & Back assistant. `make chat` to talk to it, `make test` to test it.
# Every target installs, indexes and trains first when it needs to.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PY := .venv/bin/python
RASA := $(PY) -m bot.quiet rasa
MODEL := models/assistant.tar.gz
TRAINING_DATA := config.yml domain.yml $(wildcard bot/data/*.yml) bot/nlu_featurizer.py bot/nlu_components.py bot/red_flag_classifier.py bot/red_flags.py bot/language.py

# Quiet, offline, reproducible runs.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONWARNINGS := ignore
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

# Machines whose pip is pointed at a local wheel folder (PIP_FIND_LINKS; here: the CPU
# build of torch) cannot reach PyTorch's CPU index: let uv read that folder instead.
ifneq ($(strip $(PIP_FIND_LINKS)),)
export UV_FIND_LINKS ?= $(PIP_FIND_LINKS)
export UV_NO_SOURCES ?= 1
endif

.PHONY: help install train index chat serve test test-scale lint eval bench clean chromium scale-services

help:
	@echo "make chat    talk to the assistant in the terminal (rasa shell)"
	@echo "make serve   run the whole stack on 127.0.0.1 (REST/socket.io on 5005, actions on 5055)"
	@echo "make test    lint + the full test suite"
	@echo "make test-scale  two Rasa processes on PostgreSQL + Redis give the same answers as one"
	@echo "make train   train the Rasa model (only when its data changed)"
	@echo "make index   build or refresh the knowledge index"
	@echo "make eval    retrieval, NLU, red-flag and triage figures"
	@echo "make bench   speed and memory figures"

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv sync
	@touch $@

install: .venv/.installed

$(MODEL): .venv/.installed $(TRAINING_DATA)
	$(RASA) train --data bot/data --domain domain.yml --config config.yml \
		--out models --fixed-model-name assistant
	@touch $@

train: $(MODEL)

index: install
	$(PY) -m knowledge index

chat: train index
	$(PY) -m bot chat

serve: train index
	$(PY) -m bot serve

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Browser tests drive Debian's Chromium (no browser download at test time).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium >/dev/null; }

test: lint train index chromium
	$(RASA) data validate --data bot/data --domain domain.yml --config config.yml --quiet
	$(RASA) test core --model $(MODEL) --stories tests/stories --out results/stories \
		--fail-on-prediction-errors --no-plot --quiet
	$(PY) -m pytest

# PostgreSQL and Redis from Debian's packages, for the scale-out test (started by the test
# itself on free loopback ports, and stopped after).
scale-services:
	@{ command -v redis-server >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
		echo "Installing PostgreSQL and Redis for the scale-out test..."; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq postgresql redis-server >/dev/null; }

test-scale: train index scale-services
	$(PY) -m pytest -m scale tests/scale

# Prints every figure, then fails if any target was missed.
eval: train index
	@status=0; \
	$(PY) -m knowledge.evaluate || status=1; \
	$(PY) -m bot.evaluate || status=1; \
	exit $$status

bench: train index
	$(PY) -m knowledge.bench
	$(PY) -m bot.loadtest

clean:
	rm -rf build models results .pytest_cache
