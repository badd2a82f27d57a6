"""The run engine: the run state machine, progression policies, token counts."""
