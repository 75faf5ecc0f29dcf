"""The `user` commands: creating accounts from the command line and listing them."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from safetycouncil.accounts.models import User
from safetycouncil.extensions import db

PASSWORD = "a-long-password-123"


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args, password=PASSWORD):
        # `flask --app wsgi ...` pushes an application context before running a command; the `user`
        # group is a plain click group, so invoking app.cli directly needs one pushed here.
        with app.app_context():
            try:
                return runner.invoke(args=list(args), input=None if password is None else f"{password}\n")
            finally:
                db.session.remove()

    return run


def count_users(app, email=None) -> int:
    with app.app_context():
        query = select(func.count()).select_from(User)
        if email:
            query = query.where(func.lower(User.email) == email.lower())
        return db.session.execute(query).scalar_one()


def sign_in(app, email, password):
    return app.test_client().post("/login", data={"email": email, "password": password})


def test_create_a_technical_secretary_who_can_then_sign_in(app, cli):
    result = cli("user", "create", "--email", "Arben.Kola@Test.kvsp.al", "--name", "Arben Kola",
                 "--role", "technical_secretary", "--municipality", "elbasan")
    assert result.exit_code == 0, result.output
    assert "arben.kola@test.kvsp.al" in result.output
    assert PASSWORD not in result.output
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == "arben.kola@test.kvsp.al")).scalar_one()
        assert user.name == "Arben Kola"
        assert user.password_hash.startswith("$argon2id$")
        assert [(r.role, r.municipality.slug) for r in user.roles] == [("technical_secretary", "elbasan")]
    response = sign_in(app, "arben.kola@test.kvsp.al", PASSWORD)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/elbasan/"
    assert sign_in(app, "arben.kola@test.kvsp.al", "a-long-password-124").status_code == 401


def test_create_a_prefecture_account_by_county_name(app, cli):
    result = cli("user", "create", "--email", "prefektura@test.kvsp.al", "--role", "prefecture",
                 "--county", "Elbasan")
    assert result.exit_code == 0, result.output
    response = sign_in(app, "prefektura@test.kvsp.al", PASSWORD)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/prefecture/elbasan/"


def test_create_a_ministry_account(app, cli):
    result = cli("user", "create", "--email", "ministria@test.kvsp.al", "--role", "ministry", "--locale", "en")
    assert result.exit_code == 0, result.output
    response = sign_in(app, "ministria@test.kvsp.al", PASSWORD)
    assert urlsplit(response.headers["Location"]).path == "/national/"
    with app.app_context():
        assert db.session.execute(select(User.locale).where(User.email == "ministria@test.kvsp.al")).scalar_one() \
            == "en"


@pytest.mark.parametrize("args, message", [
    (["--role", "technical_secretary", "--municipality", "atlantis"], "No municipality with the slug 'atlantis'."),
    (["--role", "technical_secretary"], "Për këtë rol duhet caktuar një bashki."),
    (["--role", "prefecture"], "Për këtë rol duhet caktuar një qark."),
    (["--role", "prefecture", "--county", "Atlantis"], "No county named 'Atlantis'."),
    (["--role", "ministry", "--municipality", "elbasan"],
     "Ky rol vlen në nivel kombëtar, pa bashki apo qark."),
])
def test_wrong_places_are_refused_with_a_clear_message(app, cli, args, message):
    result = cli("user", "create", "--email", "someone@test.kvsp.al", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert count_users(app) == 0


def test_an_unknown_role_is_refused(app, cli):
    result = cli("user", "create", "--email", "someone@test.kvsp.al", "--role", "emperor")
    assert result.exit_code != 0
    assert "emperor" in result.output and "technical_secretary" in result.output
    assert count_users(app) == 0


def test_a_duplicate_email_is_refused(app, cli, make_user):
    existing = make_user("member", municipality="fier")
    result = cli("user", "create", "--email", existing.email.upper(), "--role", "technical_secretary",
                 "--municipality", "elbasan")
    assert result.exit_code != 0
    assert "Ekziston tashmë një llogari me këtë adresë e-mail." in result.output
    assert count_users(app, existing.email) == 1
    # The existing account is untouched: same password, no new role.
    response = sign_in(app, existing.email, existing.password)
    assert urlsplit(response.headers["Location"]).path == "/fier/"


@pytest.mark.parametrize("password", ["short-pass", "", "           "])
def test_a_short_password_is_refused(app, cli, password):
    result = cli("user", "create", "--email", "someone@test.kvsp.al", "--role", "technical_secretary",
                 "--municipality", "elbasan", password=password)
    assert result.exit_code != 0
    assert "Fjalëkalimi duhet të ketë të paktën 12 karaktere." in result.output
    assert count_users(app) == 0


def test_an_invalid_email_is_refused(app, cli):
    result = cli("user", "create", "--email", "not-an-address", "--role", "ministry")
    assert result.exit_code != 0
    assert "Shkruani një adresë e-mail të vlefshme." in result.output
    assert count_users(app) == 0


def test_the_password_is_never_an_option(cli):
    result = cli("user", "create", "--email", "someone@test.kvsp.al", "--role", "ministry",
                 "--password", PASSWORD)
    assert result.exit_code != 0
    assert "No such option" in result.output


def test_user_list_prints_accounts_with_their_roles_and_state(app, cli, make_user):
    secretary = make_user(("technical_secretary", "elbasan", None), ("member", "fier", None),
                          email="secretary@test.kvsp.al", name="Sekretarja")
    make_user("prefecture", county="elbasan", email="prefect@test.kvsp.al", name="Prefekti")
    make_user("ministry", email="disabled@test.kvsp.al", active=False)
    assert cli("user", "create", "--email", "admin@test.kvsp.al", "--role", "admin").exit_code == 0
    with app.app_context():
        from safetycouncil.accounts import services

        services.create_user("invited@test.kvsp.al", "I ftuari")
        db.session.commit()

    result = cli("user", "list", password=None)
    assert result.exit_code == 0, result.output
    lines = {line.split("\t")[0]: line.split("\t") for line in result.output.strip().splitlines()}
    assert list(lines) == sorted(lines)
    assert set(lines) == {"admin@test.kvsp.al", "disabled@test.kvsp.al", "invited@test.kvsp.al",
                          "prefect@test.kvsp.al", secretary.email}
    assert lines[secretary.email][1:3] == ["Sekretarja", "active"]
    assert set(lines[secretary.email][3].split(", ")) == {"technical_secretary@elbasan", "member@fier"}
    assert lines["prefect@test.kvsp.al"][2:] == ["active", "prefecture@elbasan"]
    assert lines["admin@test.kvsp.al"][2:] == ["active", "admin"]
    assert lines["disabled@test.kvsp.al"][2:] == ["disabled", "ministry"]
    assert lines["invited@test.kvsp.al"][2:] == ["invited", ""]
    assert "$argon2" not in result.output
