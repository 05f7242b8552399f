"""How strong a new passphrase is, in words a personal adviser can act on (zxcvbn). No Qt.

A stolen laptop lets an attacker guess offline, slowed only by Argon2id, so a new store needs
zxcvbn's score 3 ("safely unguessable") or better, on top of the store's own length rule.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCORE = 3
MAX_SCORED_LENGTH = 72  # zxcvbn refuses longer input; a passphrase that long is strong anyway
SCORE_WORDS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    words: str  # "Weak", "Strong"...
    advice: str  # zxcvbn's warning and suggestions, one sentence each
    good_enough: bool


def strength_of(passphrase: str, user_inputs: tuple[str, ...] = ()) -> Strength:
    """Score ``passphrase``; ``user_inputs`` (the adviser's name...) count as easy guesses."""
    if not passphrase:
        return Strength(0, "Empty", "", False)
    from zxcvbn import zxcvbn  # imported on first use: only the create page needs it

    words = [w for text in user_inputs for w in text.split() if w]
    result = zxcvbn(passphrase[:MAX_SCORED_LENGTH], user_inputs=[*words, "pathway", "desk"])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    advice = " ".join(
        part for part in [feedback.get("warning", ""), *feedback.get("suggestions", [])] if part
    )
    if not advice and score < MIN_SCORE:
        advice = "Add another word or two; a few unrelated words work well."
    return Strength(score, SCORE_WORDS[score], advice, score >= MIN_SCORE)
