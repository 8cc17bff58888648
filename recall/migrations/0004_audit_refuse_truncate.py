from django.db import migrations

# TRUNCATE fires no row triggers, so 0002's append-only guard let it empty the audit log: a
# statement trigger refuses it too (also when TRUNCATE ... CASCADE reaches the table from
# auth_user). The test suite empties every table between transactional tests with Django's
# flush (a TRUNCATE): its connections, and only theirs, set recall.audit_truncate to "allow"
# (settings_test.py). Like the row guard, this stops the app and careless hands, not the table's
# owner, who can drop the trigger.
REFUSE_TRUNCATE = """
CREATE FUNCTION recall_auditevent_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('recall.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER recall_auditevent_refuse_truncate BEFORE TRUNCATE ON recall_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION recall_auditevent_refuse_truncate();
"""
UNDO = """
DROP TRIGGER recall_auditevent_refuse_truncate ON recall_auditevent;
DROP FUNCTION recall_auditevent_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("recall", "0003_audit_more_actions")]

    operations = [migrations.RunSQL(REFUSE_TRUNCATE, UNDO)]
