// What an administration page shows a signed-in person who is not an
// administrator (role `admin`): the page's title and why there is nothing else.

/** The refusal of an administration page, under its title. */
export function AdminOnly({ title, testid }: { title: string; testid: string }) {
  return (
    <>
      <h1>{title}</h1>
      <div className="banner error" role="alert" data-testid={testid}>
        Only administrators can see this page.
      </div>
    </>
  );
}
