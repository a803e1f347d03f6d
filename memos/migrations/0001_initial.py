"""The memo models, moved from ``reports`` (issue 19). State only: the tables keep their names (``db_table``
``reports_memo`` …) and every row stays where it is; ``reports.0008_memos_moved`` drops them from ``reports``."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reports', '0007_memo_issue'),
        ('measures', '0006_verbose_names'),
        ('organizations', '0006_membership_is_active'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Memo',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('department_line', models.CharField(blank=True, max_length=300, verbose_name='ส่วนราชการ line')),
                        ('document_number', models.CharField(blank=True, max_length=100, verbose_name='document number')),
                        ('register_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='outgoing register year (BE)')),
                        ('register_number', models.PositiveIntegerField(blank=True, null=True, verbose_name='outgoing register number')),
                        ('date', models.DateField(verbose_name='date')),
                        ('subject', models.CharField(max_length=500, verbose_name='subject')),
                        ('addressee', models.CharField(max_length=300, verbose_name='addressee')),
                        ('body', models.TextField(verbose_name='body')),
                        ('closing', models.CharField(blank=True, max_length=200, verbose_name='closing')),
                        ('state', models.CharField(choices=[('draft', 'Draft'), ('pending', 'Under consideration'), ('returned', 'Returned for changes'), ('approved', 'Approved'), ('rejected', 'Not approved')], default='draft', max_length=16, verbose_name='state')),
                        ('route', models.JSONField(blank=True, default=list, editable=False, verbose_name='route')),
                        ('current_step', models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='current step')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('current_user', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='whose turn')),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='memos', to='organizations.department', verbose_name='department')),
                        ('drafter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='drafted_memos', to='organizations.official', verbose_name='drafter')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memos', to='organizations.organization', verbose_name='organization')),
                        ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='memos', to='measures.measureplan', verbose_name='measure plan')),
                        ('progress_report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='memos', to='measures.progressreport', verbose_name='progress report')),
                        ('sent_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                    ],
                    options={
                        'verbose_name': 'memo',
                        'verbose_name_plural': 'memos',
                        'db_table': 'reports_memo',
                        'ordering': ['organization', '-date'],
                    },
                ),
                migrations.CreateModel(
                    name='IssuedDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveSmallIntegerField(verbose_name='version')),
                        ('document_number', models.CharField(max_length=100, verbose_name='document number')),
                        ('register_year', models.PositiveSmallIntegerField(verbose_name='outgoing register year (BE)')),
                        ('register_number', models.PositiveIntegerField(verbose_name='outgoing register number')),
                        ('date', models.DateField(verbose_name='date')),
                        ('subject', models.CharField(max_length=500, verbose_name='subject')),
                        ('addressee', models.CharField(max_length=300, verbose_name='addressee')),
                        ('department', models.CharField(blank=True, max_length=300, verbose_name='department')),
                        ('attachment', models.CharField(blank=True, max_length=300, verbose_name='attached document')),
                        ('filename', models.CharField(max_length=200, verbose_name='file name')),
                        ('content', models.BinaryField(verbose_name='PDF')),
                        ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                        ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                        ('signed', models.BooleanField(default=False, verbose_name='digitally signed')),
                        ('issued_at', models.DateTimeField(verbose_name='issued at')),
                        ('issued_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='issued_documents', to='organizations.organization', verbose_name='organization')),
                        ('memo', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='issued', to='memos.memo', verbose_name='memo')),
                    ],
                    options={
                        'verbose_name': 'issued document',
                        'verbose_name_plural': 'issued documents',
                        'db_table': 'reports_issueddocument',
                        'ordering': ['memo', 'version'],
                    },
                ),
                migrations.CreateModel(
                    name='MemoIssue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveSmallIntegerField(verbose_name='version')),
                        ('status', models.CharField(choices=[('queued', 'Waiting for the worker'), ('running', 'Rendering and signing'), ('issued', 'Issued'), ('failed', 'Issuing failed')], default='queued', max_length=10, verbose_name='status')),
                        ('html', models.TextField(verbose_name='document as approved')),
                        ('fields', models.JSONField(default=dict, verbose_name='register facts')),
                        ('filename', models.CharField(max_length=200, verbose_name='file name')),
                        ('signer_name', models.CharField(blank=True, max_length=300, verbose_name='signer')),
                        ('requested_at', models.DateTimeField(verbose_name='approved at')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('task_id', models.CharField(blank=True, max_length=64, verbose_name='task id')),
                        ('document', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='issue', to='memos.issueddocument', verbose_name='issued document')),
                        ('memo', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='issues', to='memos.memo', verbose_name='memo')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memo_issues', to='organizations.organization', verbose_name='organization')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                    ],
                    options={
                        'verbose_name': 'issue of a memo',
                        'verbose_name_plural': 'issues of memos',
                        'db_table': 'reports_memoissue',
                        'ordering': ['memo', 'version'],
                    },
                ),
                migrations.CreateModel(
                    name='MemoTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('send', 'Send for consideration'), ('forward', 'Forward'), ('approve', 'Approve'), ('reject', 'Not approve'), ('return', 'Return for changes'), ('reopen', 'Reopen')], max_length=16, verbose_name='action')),
                        ('from_state', models.CharField(choices=[('draft', 'Draft'), ('pending', 'Under consideration'), ('returned', 'Returned for changes'), ('approved', 'Approved'), ('rejected', 'Not approved')], max_length=16, verbose_name='from')),
                        ('to_state', models.CharField(choices=[('draft', 'Draft'), ('pending', 'Under consideration'), ('returned', 'Returned for changes'), ('approved', 'Approved'), ('rejected', 'Not approved')], max_length=16, verbose_name='to')),
                        ('step_title', models.CharField(blank=True, max_length=200, verbose_name='step')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('at', models.DateTimeField(verbose_name='at')),
                        ('memo', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='memos.memo', verbose_name='memo')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ],
                    options={
                        'verbose_name': 'memo transition',
                        'verbose_name_plural': 'memo transitions',
                        'db_table': 'reports_memotransition',
                        'ordering': ['memo', 'at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='MemoComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('text', models.TextField(blank=True, verbose_name='comment')),
                        ('date', models.DateField(blank=True, null=True, verbose_name='date')),
                        ('memo', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='memos.memo', verbose_name='memo')),
                        ('official', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='memo_comments', to='organizations.official', verbose_name='official')),
                        ('transition', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='comment_block', to='memos.memotransition', verbose_name='decision')),
                    ],
                    options={
                        'verbose_name': 'memo comment',
                        'verbose_name_plural': 'memo comments',
                        'db_table': 'reports_memocomment',
                        'ordering': ['memo', 'order'],
                    },
                ),
                migrations.CreateModel(
                    name='RoutingStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                        ('title', models.CharField(max_length=200, verbose_name='title of the comment block')),
                        ('official', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='routing_steps', to='organizations.official', verbose_name='official')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='routing_steps', to='organizations.organization', verbose_name='organization')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='routing_steps', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'routing step',
                        'verbose_name_plural': 'routing steps',
                        'db_table': 'reports_routingstep',
                        'ordering': ['organization', 'order'],
                    },
                ),
                migrations.AddIndex(
                    model_name='memo',
                    index=models.Index(fields=['current_user', 'state'], name='memo_inbox'),
                ),
                migrations.AddConstraint(
                    model_name='memo',
                    constraint=models.CheckConstraint(condition=models.Q(('plan__isnull', True), ('progress_report__isnull', True), _connector='OR'), name='memo_attaches_one_document', violation_error_message='A memo attaches a plan or a progress report, not both.'),
                ),
                migrations.AddConstraint(
                    model_name='memo',
                    constraint=models.UniqueConstraint(condition=models.Q(('register_number__isnull', False)), fields=('organization', 'register_year', 'register_number'), name='memo_unique_register_number', violation_error_message='This number of the outgoing register is already taken.'),
                ),
                migrations.AddConstraint(
                    model_name='memo',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('register_number__isnull', True), ('register_year__isnull', True)), models.Q(('register_number__isnull', False), ('register_year__isnull', False)), _connector='OR'), name='memo_register_year_with_number', violation_error_message='An outgoing register number needs its year, and a year its number.'),
                ),
                migrations.AddConstraint(
                    model_name='issueddocument',
                    constraint=models.UniqueConstraint(fields=('memo', 'version'), name='issued_document_unique_version'),
                ),
                migrations.AddIndex(
                    model_name='memoissue',
                    index=models.Index(fields=['status'], name='memo_issue_status'),
                ),
                migrations.AddConstraint(
                    model_name='memoissue',
                    constraint=models.UniqueConstraint(fields=('memo', 'version'), name='memo_issue_unique_version'),
                ),
                migrations.AddConstraint(
                    model_name='memocomment',
                    constraint=models.UniqueConstraint(fields=('memo', 'order'), name='memo_comment_unique_order'),
                ),
                migrations.AddConstraint(
                    model_name='routingstep',
                    constraint=models.UniqueConstraint(fields=('organization', 'order'), name='routing_step_unique_order', violation_error_message='Two steps have the same order.'),
                ),
            ],
        ),
    ]
