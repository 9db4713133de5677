# The committees, their seats and the congress terms, created in their own app (they were part
# of organizations' first migration before the tree app stopped depending on members).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('members', '0001_initial'),
        ('organizations', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Term',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, unique=True, verbose_name='name')),
                ('start_year', models.PositiveSmallIntegerField(verbose_name='start year')),
                ('end_year', models.PositiveSmallIntegerField(verbose_name='end year')),
            ],
            options={
                'verbose_name': 'term',
                'verbose_name_plural': 'terms',
                'ordering': ['-start_year'],
                'constraints': [models.CheckConstraint(condition=models.Q(('end_year__gt', models.F('start_year'))), name='term_years_order', violation_error_message='A term ends after it starts.')],
            },
        ),
        migrations.CreateModel(
            name='Committee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('executive', 'Executive committee'), ('standing', 'Standing committee'), ('cell', 'Cell committee')], max_length=10, verbose_name='kind')),
                ('elected_size', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='elected size')),
                ('approved_next_size', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='size approved for the next term')),
                ('elected_on', models.DateField(blank=True, null=True, verbose_name='elected on')),
                ('term', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committees', to='committees.term')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committees', to='organizations.unit')),
            ],
            options={
                'verbose_name': 'committee',
                'verbose_name_plural': 'committees',
                'ordering': ['unit', '-term__start_year', 'kind'],
            },
        ),
        migrations.CreateModel(
            name='CommitteeSeat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('person_name', models.CharField(blank=True, default='', max_length=150, verbose_name='name')),
                ('position', models.CharField(choices=[('secretary', 'Secretary'), ('standing_deputy', 'Standing deputy secretary'), ('deputy', 'Deputy secretary'), ('standing_member', 'Standing committee member'), ('member', 'Committee member')], max_length=20, verbose_name='position')),
                ('from_date', models.DateField(blank=True, null=True, verbose_name='from')),
                ('to_date', models.DateField(blank=True, null=True, verbose_name='to')),
                ('committee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seats', to='committees.committee')),
                ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='seats', to='members.member')),
            ],
            options={
                'verbose_name': 'committee seat',
                'verbose_name_plural': 'committee seats',
                'ordering': ['committee', 'position', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('member__isnull', False), models.Q(('person_name', ''), _negated=True), _connector='OR'), name='seat_has_person', violation_error_message='A seat needs a member or a name.')],
            },
        ),
        migrations.AddConstraint(
            model_name='committee',
            constraint=models.UniqueConstraint(fields=('unit', 'term', 'kind'), name='committee_unique_per_term', violation_error_message='This unit already has this committee for the term.'),
        ),
    ]
