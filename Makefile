# The Hip & Back assistant. `make chat` to talk to it, `make test` to test it.
# Every target installs, indexes and trains first when it needs to.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PY := .venv/bin/python
# Every command runs in the project's environment (offline models, no telemetry, quiet
# libraries): bot/runtime/environment.py, applied by bot/runtime/launch.py.
RUN := $(PY) -m bot.runtime.launch
RASA := $(RUN) rasa
MODEL := models/assistant.tar.gz
# The answers' models (knowledge/learned): the fine-tuned retriever and the answerer.
LEARNED := build/learned/answerer.pkl
# What the trained model depends on: Rasa's files, the training data, the code of the
# NLU components (the featurizer's features come from the embedding model's code) and the
# labelled messages the red-flag classifier learns from (bot/safety/training.py). Not the
# classifier's cut-offs (bot/safety/cutoffs.yml): they are read when the assistant starts.
TRAINING_DATA := config.yml domain.yml $(shell find data -name '*.yml') \
	$(filter-out bot/safety/cutoffs.yml,$(wildcard bot/nlu/*.py bot/safety/*.py bot/safety/*.yml)) \
	knowledge/embedding.py \
	$(wildcard eval/red_flags*.jsonl eval/questions_blind_*.jsonl eval/knowledge_eval*.jsonl)

# What the answers' models learn from: the labelled sets (knowledge/learned/labelled.py) and
# the engine's code that gives their signals. Not the articles: a new one needs no retraining.
ANSWER_DATA := $(addprefix eval/,knowledge_eval.jsonl knowledge_eval_fresh.jsonl \
	knowledge_eval_lay.jsonl $(addsuffix .jsonl,$(addprefix questions_blind_,c f g h i)))
LEARNED_INPUTS := $(ANSWER_DATA) $(wildcard knowledge/*.py knowledge/learned/*.py)

# Machines whose pip is pointed at a local wheel folder (PIP_FIND_LINKS; here: the CPU
# build of torch) cannot reach PyTorch's CPU index: let uv read that folder instead.
ifneq ($(strip $(PIP_FIND_LINKS)),)
export UV_FIND_LINKS ?= $(PIP_FIND_LINKS)
export UV_NO_SOURCES ?= 1
endif

.PHONY: help install train index search chat serve test test-unit test-scale lint eval bench profile \
	clean chromium scale-services report

help:
	@echo "make chat       talk to the assistant in the terminal (rasa shell)"
	@echo "make serve      the whole stack on 127.0.0.1 (web page on 8000, Rasa on 5005)"
	@echo "make test       lint + the full test suite (what CI runs, with test-scale)"
	@echo "make test-unit  the unit tests alone: no trained model, under a minute"
	@echo "make test-scale two Rasa processes on PostgreSQL + Redis give the same answers as one"
	@echo "make train      train the Rasa model (only when its data changed)"
	@echo "make index      build or refresh the knowledge index"
	@echo "make search Q=\"...\"  what the articles would answer, with scores"
	@echo "make eval       retrieval, NLU, red-flag and triage figures"
	@echo "make profile    where a message's time goes in each process (py-spy)"
	@echo "make bench      speed and memory figures"
	@echo "make report [DAYS=7]  what visitors asked, what went unanswered, ratings, red flags"

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv sync
	@touch $@

install: .venv/.installed

$(MODEL): .venv/.installed $(TRAINING_DATA)
	$(RUN) bot train
	@touch $@

$(LEARNED): .venv/.installed $(LEARNED_INPUTS)
	$(RUN) knowledge train
	@touch $@

train: $(MODEL) $(LEARNED)

index: $(LEARNED)
	$(RUN) knowledge index

search: index
	$(RUN) knowledge search "$(Q)"

chat: train index
	$(RUN) bot chat

serve: train index
	$(RUN) bot serve

report: install
	$(RUN) bot report $(if $(DAYS),--days $(DAYS))

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Browser tests drive Debian's Chromium (no browser download at test time).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium >/dev/null; }

test-unit: install
	$(RUN) pytest -m unit

test: lint train index chromium
	$(RASA) data validate --quiet
	$(RASA) test core --model $(MODEL) --stories tests/stories --out results/stories \
		--fail-on-prediction-errors --no-plot --quiet
	$(RUN) pytest

# PostgreSQL and Redis from Debian's packages, for the scale-out test (started by the test
# itself on free loopback ports, and stopped after).
scale-services:
	@{ command -v redis-server >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
		echo "Installing PostgreSQL and Redis for the scale-out test..."; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq postgresql redis-server >/dev/null; }

test-scale: train index scale-services
	$(RUN) pytest -m scale tests/scale

# Prints every figure, then fails if any target was missed.
eval: train index
	@status=0; \
	$(RUN) tools.cross_validate_answers --retriever tuned || status=1; \
	$(RUN) tools.evaluate_answers || status=1; \
	$(RUN) tools.evaluate_red_flags || status=1; \
	$(RUN) tools.evaluate_triage || status=1; \
	$(RUN) tools.evaluate_nlu || status=1; \
	exit $$status

# Both halves run, and every missed target is reported, before the target fails.
bench: train index
	@status=0; \
	$(RUN) tools.bench_knowledge || status=1; \
	$(RUN) tools.loadtest || status=1; \
	exit $$status

profile: train index
	$(RUN) tools.profile_stack

clean:
	rm -rf build models results .pytest_cache
