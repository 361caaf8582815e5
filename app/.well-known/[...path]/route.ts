// Unknown /.well-known/… paths answer like unknown /api/… paths: a JSON 404.
export { GET, POST, PUT, PATCH, DELETE } from "@/app/api/[...path]/route";
