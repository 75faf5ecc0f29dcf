"""A citizen answers the local safety survey on a phone with an invitation code and is thanked."""
import pytest

pytestmark = pytest.mark.browser


def test_a_citizen_answers_the_survey_on_a_phone(app, phone_page, in_tenant):
    from datetime import date

    from safetycouncil.areas.models import Area
    from safetycouncil.surveys.services import create_wave, generate_codes

    with in_tenant("elbasan") as session:
        area = Area(name="Lagjja Kala", kind="neighbourhood")
        session.add(area)
        session.flush()
        wave = create_wave({"title": "Vala e parë", "starts_on": date(2025, 4, 1), "ends_on": date(2025, 12, 31),
                            "target_respondents": 300, "area_ids": [area.id]}, user_id=None)
        wave.status = "open"
        (code,) = generate_codes(wave, 1)
        wave_id = wave.id

    page = phone_page
    page.goto(f"/public/elbasan/survey/{wave_id}")
    page.locator("#code").fill(code)
    page.locator("#code").press("Enter")
    page.locator("#area_id").select_option(label="Lagjja Kala")
    page.locator('input[name="safety_day"][value="4"]').check()
    page.locator('input[name="safety_night"][value="2"]').check()
    page.locator('input[name="problem_lighting"][value="4"]').check()
    page.locator('input[name="trust_police"][value="3"]').check()
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("button.survey-submit").click()
    page.wait_for_url(f"**/public/elbasan/survey/{wave_id}/thanks")
    assert page.locator("h1").inner_text().strip() in ("Faleminderit!", "Thank you!")
    # The same code cannot answer again.
    page.goto(f"/public/elbasan/survey/{wave_id}?code={code}")
    assert page.locator(".survey-refused").is_visible()
