"""What the engine learns from the clinic's labelled questions: a retriever fine-tuned on
them, a ranker over the engine's signals and the answerability of a question, trained by
``make train`` and measured by grouped cross-validation (``make eval``)."""
