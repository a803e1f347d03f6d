from django.contrib import admin

from .models import Department, Membership, Official, Organization, OversightScope


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class OfficialInline(admin.TabularInline):
    model = Official
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "amphoe", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "province", "amphoe"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline, OfficialInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "department", "is_active", "ended_at"]
    list_filter = ["role", "is_active", "organization"]


@admin.register(OversightScope)
class OversightScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "province"]
    search_fields = ["user__username", "province"]
