// A screen whose server side is not in this build yet: says so plainly rather than faking data.
export function NotYet({ title, what }: { title: string; what: string }) {
  return (
    <section>
      <h2>{title}</h2>
      <p className="notice" data-test="not-available">
        Not available yet: this screen needs {what}, which this server does not provide yet.
      </p>
    </section>
  );
}
