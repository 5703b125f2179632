"""The terminal interview's own words (prompts and headings), by language.  The
questions, answers and every clinical text come from the knowledge base in that language
(engine.locale); only these few interface strings live here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TerminalWords:
    intro: str = "heelcheck - a two-minute heel-pain self-evaluation."
    keys: str = "Type 'back' to change your previous answer, 'why' to see why we ask."
    back: str = "back"
    why: str = "why"
    progress: str = "[{n} of about {total}]"
    number: str = "Number ({unit}{unsure}): "
    unsure: str = ", or ? if not sure"
    numbers: str = "Numbers separated by spaces (or the number of 'None of these'): "
    one: str = "Number: "
    stopped: str = "Stopped. Nothing was saved."
    sorry: str = "Sorry: {problem}"
    pick_any: str = "please type the number of an option"
    pick_one: str = "please type the number of one option"
    why_flags: str = "Why:"
    fits: str = "Your heel pain fits best: {name}. {sure}"
    also: str = "Likely present as well: {names}"
    then: str = "then: {name} ({p})"
    fits_this: str = "What fits {name}:"
    not_this: str = "What does not fit {name}:"
    heel_back: str = "Heel and back: {text}"
    plan: str = "Your self-care plan:"
    worry: str = "When to worry: {text}"
    footer: str = "(knowledge base {version}; {n} questions)"


WORDS = {
    "en": TerminalWords(),
    "es": TerminalWords(
        intro="heelcheck: una revisión del dolor de talón en dos minutos.",
        keys="Escribe 'atrás' para cambiar tu respuesta anterior, o 'por qué' para saber el motivo.",
        back="atrás",
        why="por qué",
        progress="[{n} de unas {total}]",
        number="Número ({unit}{unsure}): ",
        unsure=", o ? si no lo sabes",
        numbers="Números separados por espacios (o el número de 'Ninguna de estas'): ",
        one="Número: ",
        stopped="Se detuvo. No se guardó nada.",
        sorry="Perdón: {problem}",
        pick_any="escribe el número de una opción",
        pick_one="escribe el número de una sola opción",
        why_flags="Por qué:",
        fits="Tu dolor de talón se parece más a: {name}. {sure}",
        also="Probablemente también está presente: {names}",
        then="después: {name} ({p})",
        fits_this="Lo que encaja con {name}:",
        not_this="Lo que no encaja con {name}:",
        heel_back="Talón y espalda: {text}",
        plan="Tu plan de cuidado en casa:",
        worry="Cuándo preocuparte: {text}",
        footer="(base de conocimiento {version}; {n} preguntas)",
    ),
}
