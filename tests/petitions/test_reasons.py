"""A decision's stored English summary, shown in the reader's language part by part."""

import pytest
from django.utils import translation

from petitions.reasons import reason_in_words

SUMMARIES = [
    (
        "signed more than once: also on section 1 line 1; surname exact, first name nickname, "
        "house number and street agree, city agrees, unit missing (allowed)",
        "firmó más de una vez: también en la sección 1, línea 1; apellido: exacto, nombre: "
        "apodo, el número y la calle coinciden, la ciudad coincide, unidad: falta (se permite)",
    ),
    (
        "no name (house number or street missing; surname exact, first name initial)",
        "sin nombre (falta el número o la calle; apellido: exacto, nombre: inicial)",
    ),
    (
        "no voter of this name at this address; 3+ voters of this name elsewhere in the county "
        "(others of the household are registered here)",
        "no hay ningún votante con este nombre en este domicilio; 3+ votantes con este nombre en "
        "otras partes del condado (otros miembros del hogar están registrados aquí)",
    ),
    ("no signature or name", "sin firma ni nombre"),
    (
        "registration cancelled (surname exact, first name exact, suffix not written, house "
        "number and street agree, city agrees)",
        "registro cancelado (apellido: exacto, nombre: exacto, sufijo: no escrito, el número y "
        "la calle coinciden, la ciudad coincide)",
    ),
    (
        "surname exact, first name initial, house number and street agree, city agrees; 2 voters "
        "of this name live here, the suffix written is theirs alone",
        "apellido: exacto, nombre: inicial, el número y la calle coinciden, la ciudad coincide; 2 "
        "votantes con este nombre viven aquí, el sufijo escrito es solo suyo",
    ),
    (
        "registered at another address (surname exact, first name exact, house number 4755 read "
        "as 74755, street agrees)",
        "registrado en otro domicilio (apellido: exacto, nombre: exacto, número 4755 leído como "
        "74755, la calle coincide)",
    ),
    (
        "3 voters at this address match about equally well (JR/SR?)",
        "3 votantes de este domicilio coinciden casi igual de bien (JR/SR?)",
    ),
    (
        "the one voter of this name signed this petition at their registered address: another "
        "person of the name; no registered voter of this name at this address",
        "el único votante con este nombre firmó esta petición en su domicilio registrado: es "
        "otra persona con el mismo nombre; no hay ningún votante registrado con este nombre en "
        "este domicilio",
    ),
    (
        "one name only (the one voter at this address it may be: surname exact, first name "
        "missing, house number and street agree (spelling), city agrees)",
        "un solo nombre (el único votante de este domicilio que puede ser: apellido: exacto, "
        "nombre: falta, el número y la calle coinciden (ortografía), la ciudad coincide)",
    ),
    (
        "Reno 89501 is not in the county's voter roll",
        "Reno 89501 no está en el padrón electoral del condado",
    ),
    (
        "fixed after a reviewer decided it (not registered): decide again",
        "corregida después de que un revisor la decidiera (no registrado): hay que decidir de "
        "nuevo",
    ),
    ("registered after filing (2026-08-15)", "registrado después de la presentación (2026-08-15)"),
    (
        "surname different, first name exact, house number and street agree, city agrees; the "
        "surname written is not theirs (a changed name?); no one else registered here has either "
        "name",
        "apellido: distinto, nombre: exacto, el número y la calle coinciden, la ciudad coincide; "
        "el apellido escrito no es el suyo (¿un cambio de nombre?); nadie más registrado aquí "
        "tiene ninguno de los dos nombres",
    ),
    (
        "surname exact, first name none on record, house number and street agree, ZIP agrees; "
        "no one else registered here fits",
        "apellido: exacto, nombre: no consta en el registro, el número y la calle coinciden, "
        "el código postal coincide; nadie más registrado aquí coincide",
    ),
    (
        "surname exact, first name exact, read as KEISHA D LOWSBY, house number and street "
        "agree, city agrees; no one else registered here has a name this close",
        "apellido: exacto, nombre: exacto, leído como KEISHA D LOWSBY, el número y la calle "
        "coinciden, la ciudad coincide; nadie más registrado aquí tiene un nombre y apellido tan "
        "parecidos",
    ),
    (
        "registered at another address; a co-signer's namesake is registered with them: no other "
        "pair of these names in the county (surname exact, first name exact)",
        "registrado en otro domicilio; un homónimo de otro firmante está registrado con esta "
        "persona: no hay otro par de estos nombres en el condado (apellido: exacto, nombre: "
        "exacto)",
    ),
    (
        "registered at another address; registered with a co-signer found moved (surname exact, "
        "first name initial)",
        "registrado en otro domicilio; registrado con otro firmante que se mudó (apellido: "
        "exacto, nombre: inicial)",
    ),
    (
        "surname exact, first name misspelt, house number and street agree, city agrees; JANE is "
        "JANET with its last letter dropped, and no one else registered here fits it",
        "apellido: exacto, nombre: mal escrito, el número y la calle coinciden, la ciudad "
        "coincide; JANE es JANET sin su última letra, y nadie más registrado aquí coincide",
    ),
    (
        "a voter at this address may be the signer (JRG is JORGE with letters dropped; surname "
        "exact, first name misspelt, house number and street agree, city agrees)",
        "un votante de este domicilio puede ser el firmante (JRG es JORGE sin algunas letras; "
        "apellido: exacto, nombre: mal escrito, el número y la calle coinciden, la ciudad "
        "coincide)",
    ),
    (
        "surname exact, first name initial, house number and street agree, city agrees; 2 voters "
        "here fit the name, the unit written is theirs",
        "apellido: exacto, nombre: inicial, el número y la calle coinciden, la ciudad coincide; 2 "
        "votantes de aquí encajan con el nombre, la unidad escrita es la suya",
    ),
    (
        "registered at another address; the one voter of this name registered in the place "
        "written, where chance alone would put fewer than 0.1 (surname exact, first name exact)",
        "registrado en otro domicilio; el único votante con este nombre registrado en el lugar "
        "escrito, donde el azar por sí solo pondría menos de 0.1 (apellido: exacto, nombre: "
        "exacto)",
    ),
]


@pytest.mark.parametrize(("english", "spanish"), SUMMARIES)
def test_a_reason_is_said_in_spanish_and_unchanged_in_english(english, spanish):
    with translation.override("es"):
        assert reason_in_words(english) == spanish
    with translation.override("en"):
        assert reason_in_words(english) == english


def test_a_part_the_table_does_not_know_is_shown_as_written():
    with translation.override("es"):
        assert reason_in_words("a reading no table knows yet") == "a reading no table knows yet"
