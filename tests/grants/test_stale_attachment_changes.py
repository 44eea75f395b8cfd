"""A proposal's files are added and removed on the proposal as it is under its lock, not on
the copy a page read earlier: a draft handed in from another tab takes no more files and
loses none, and a file removed in another tab is not removed twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import WorkflowError
from core.storage import private_storage
from grants.models import Application, Attachment
from grants.services.attachments import add_attachment, remove_attachment
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, set_state

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft():
    return ApplicationFactory()


def add(application, name="plan.pdf"):
    return add_attachment(
        application=application,
        actor=application.owner,
        uploaded_file=SimpleUploadedFile(name, PDF),
    )


def stored_files():
    return sorted(path.name for path in private_storage().base_location.glob("*"))


def test_no_file_is_added_through_a_copy_read_before_the_draft_was_handed_in(draft):
    read_earlier = Application.objects.select_related("owner").get(pk=draft.pk)
    set_state(draft, ApplicationState.SUBMITTED)

    with pytest.raises(WorkflowError) as refused:
        add(read_earlier)

    assert refused.value.message == "Attachments can be added only to a draft you own."
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_a_file_added_to_a_draft_belongs_to_it(draft):
    read_earlier = Application.objects.select_related("owner").get(pk=draft.pk)

    added = add(read_earlier)

    assert list(Attachment.objects.values_list("pk", "application_id", "original_name")) == [
        (added.pk, draft.pk, "plan.pdf")
    ]


def test_no_file_is_removed_through_a_copy_read_before_the_draft_was_handed_in(draft):
    add(draft)
    read_earlier = Attachment.objects.select_related("application").get()
    set_state(draft, ApplicationState.SUBMITTED)

    with pytest.raises(WorkflowError) as refused:
        remove_attachment(attachment=read_earlier, actor=draft.owner)

    assert refused.value.message == "Attachments can be removed only from a draft you own."
    assert Attachment.objects.get().removed_at is None
    assert read_earlier.removed_at is None


def test_a_file_removed_in_another_tab_keeps_its_first_removal_time(draft):
    add(draft)
    first_tab = Attachment.objects.select_related("application").get()
    second_tab = Attachment.objects.select_related("application").get()
    removed = remove_attachment(attachment=first_tab, actor=draft.owner)

    with pytest.raises(WorkflowError) as refused:
        remove_attachment(attachment=second_tab, actor=draft.owner)

    assert refused.value.message == "This file can no longer be removed."
    assert removed is first_tab
    assert Attachment.objects.get().removed_at == first_tab.removed_at
    assert first_tab.removed_at is not None
    assert second_tab.removed_at is None
