import type { DeskPost, User } from './api.ts';

/** The desk's views of a page's posts. */
export type PostFilter = 'all' | 'mine' | 'drafts' | 'review' | 'scheduled';

/** The posts a view shows: "My drafts" are my drafts (returned ones included). */
export function filterPosts(posts: DeskPost[], filter: PostFilter, me: User): DeskPost[] {
  switch (filter) {
    case 'all':
      return posts;
    case 'mine':
      return posts.filter((p) => p.status === 'draft' && p.authorId === me.id);
    case 'drafts':
      return posts.filter((p) => p.status === 'draft');
    case 'review':
      return posts.filter((p) => p.status === 'submitted');
    case 'scheduled':
      return posts.filter((p) => p.status === 'scheduled');
  }
}

/**
 * All · My drafts · Drafts (editors) · Review (N) · Scheduled. The Review count follows the
 * posts, which the desk reads again on every change, so it is live.
 */
export function PostFilters(props: {
  posts: DeskPost[];
  me: User;
  value: PostFilter;
  onChange: (filter: PostFilter) => void;
}) {
  const editor = props.me.role !== 'contributor';
  const waiting = props.posts.filter((p) => p.status === 'submitted').length;
  const views: { value: PostFilter; name: string }[] = [
    { value: 'all', name: 'All' },
    { value: 'mine', name: 'My drafts' },
    ...(editor ? [{ value: 'drafts' as const, name: 'Drafts' }] : []),
    { value: 'review', name: `Review (${waiting})` },
    { value: 'scheduled', name: 'Scheduled' },
  ];
  return (
    <nav class="tabs tabs--filters" aria-label="Show posts">
      {views.map((view) => (
        <button
          key={view.value}
          type="button"
          class="tab"
          data-filter={view.value}
          aria-pressed={props.value === view.value}
          onClick={() => props.onChange(view.value)}
        >
          {view.name}
        </button>
      ))}
    </nav>
  );
}
