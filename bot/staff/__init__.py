"""For the clinic's staff: answer feedback from visitors, and the report of what visitors
ask, what went unanswered and what raised a red flag."""
