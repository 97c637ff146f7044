// The profile fields a person edits on the Account page (and sets at sign-up):
// the route handler forwards these and nothing else.

/** Editable profile fields of a user, in the order the form shows them. */
export const PROFILE_FIELDS = ['name', 'profession', 'company', 'location', 'website', 'bio'] as const;

/** One of them. */
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** Their labels, on the profile form and at sign-up alike. */
export const PROFILE_LABELS: Record<ProfileField, string> = {
  name: 'Name',
  profession: 'Profession',
  company: 'Company',
  location: 'Location',
  website: 'Website',
  bio: 'Bio',
};
