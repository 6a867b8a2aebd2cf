"""Step 7 of docs/SPEC.md: selection policies, each keeping at most k of a row's candidates."""
