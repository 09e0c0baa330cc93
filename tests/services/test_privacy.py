"""Masking in comments: phone numbers and e-mail addresses go; ISBNs, call numbers, dates and times stay.

Examples are sentences guests write, in English, Spanish and Danish.
"""

from __future__ import annotations

import pytest

from feedback.services.privacy import EMAIL_MASK, PHONE_MASK, find_contact_details, mask_contact_details

CONTACTS = [
    # English
    ("Please ring me on +44 20 7946 0958 about the order.", "+44 20 7946 0958"),
    ("My mobile is 07700 900123, any time after five.", "07700 900123"),
    ("Call (555) 123-4567 if the book comes in.", "(555) 123-4567"),
    ("US number 555.123.4567 please", "555.123.4567"),
    ("write to jane.doe+library@example.co.uk thanks", "jane.doe+library@example.co.uk"),
    # Spanish
    ("Llámenme al 612 345 678 cuando llegue el libro.", "612 345 678"),
    ("Mi teléfono es +34 612 34 56 78, gracias.", "+34 612 34 56 78"),
    ("Fijo: 91 123 45 67 por las mañanas", "91 123 45 67"),
    ("escríbanme a maría.lópez@correo.es por favor", "maría.lópez@correo.es"),
    # Danish
    ("Ring til mig på 12 34 56 78 når bogen er hjemme.", "12 34 56 78"),
    ("Mit nummer er +45 20 30 40 50.", "+45 20 30 40 50"),
    ("tlf. 20304050, spørg efter Ole", "20304050"),
    ("Skriv til søren@bibliotek.dk, tak", "søren@bibliotek.dk"),
]

NOT_CONTACTS = [
    # English
    "Could you order ISBN 978-0-14-303943-3 for me?",
    "The barcode said 9780143039433 but the shelf was empty.",
    "An old edition, 0-306-40615-2, is fine too.",
    "Cookbooks at 641.5 JAM were all out; 823.914 ISH too.",
    "I came on 12/03/2026 and again on 2026-03-12.",
    "The opening hours changed between 1999-2001 and 2019–2024.",
    "The event at 14:30 on 03.12.2026 was full.",
    # Spanish
    "Busco el Quijote, ISBN 978-84-376-0494-7, o el 84-376-0494-X.",
    "La signatura 863.64 CER no estaba en la estantería.",
    "Vine el 12-03-2026 a las 18.30 y estaba cerrado.",
    "Las obras de 1605-1615 deberían estar juntas.",
    # Danish
    "Jeg søgte ISBN 978-87-02-17298-0 men fandt den ikke.",
    "Bøgerne på 99.4 og 823.914 stod forkert.",
    "Jeg var her d. 12.03.2026 kl. 14.30, og igen 02.04.2026.",
    "Avisårgangene 1995-2005 mangler på hylden.",
]


@pytest.mark.parametrize(("comment", "contact"), CONTACTS)
def test_a_phone_number_or_email_is_found_and_masked(comment, contact):
    assert find_contact_details(comment) == [contact]
    masked = mask_contact_details(comment)
    assert contact not in masked
    assert (EMAIL_MASK if "@" in contact else PHONE_MASK) in masked


@pytest.mark.parametrize("comment", NOT_CONTACTS)
def test_isbns_call_numbers_dates_and_times_are_left_as_written(comment):
    assert find_contact_details(comment) == []
    assert mask_contact_details(comment) == comment


def test_a_phone_number_beside_an_isbn_and_a_date_is_masked_alone():
    comment = "Reserve ISBN 978-84-376-0494-7 for 12.03.2026, call 612 345 678."
    assert mask_contact_details(comment) == f"Reserve ISBN 978-84-376-0494-7 for 12.03.2026, call {PHONE_MASK}."


def test_a_number_shaped_like_an_isbn_but_with_a_wrong_check_digit_is_still_taken_for_a_phone():
    assert find_contact_details("ring 978 12 34 56 78 90") == ["978 12 34 56 78 90"]
